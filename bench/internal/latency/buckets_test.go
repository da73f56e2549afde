package latency

import "testing"

func TestBucketsCoverEveryValueWithinThreePercent(t *testing.T) {
	prev := -1
	for v := int64(0); v < 1<<22; v += 1 + v/97 {
		i := Bucket(v)
		if i < prev || i >= Buckets {
			t.Fatalf("Bucket(%d) = %d after %d", v, i, prev)
		}
		prev = i
		mid := Mid(i)
		if diff := mid - v; diff < -v/30-1 || diff > v/30+1 {
			t.Fatalf("Bucket(%d) = %d, middle %d: off by %d", v, i, mid, diff)
		}
	}
	if got := Bucket(MaxValue + 5); got != Buckets-1 {
		t.Errorf("an overlong value is in bucket %d, want the last (%d)", got, Buckets-1)
	}
	if got := Bucket(-3); got != 0 {
		t.Errorf("a negative value is in bucket %d, want 0", got)
	}
}
