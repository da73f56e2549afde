package hll

import "math"

// estimate is Otmar Ertl's improved estimator ("New cardinality estimation
// algorithms for HyperLogLog sketches", 2017). The classic estimator needs
// a small-range correction (linear counting below 2.5·m registers) and
// still overestimates by a few percent just above that switch, which is why
// HyperLogLog++ carries tables of empirical bias. Here the sigma term is
// the small-range correction, built into one formula that stays unbiased
// from 0 to billions of items.
func estimate(regs *[registers]uint8) uint64 {
	var hist [maxRank + 1]int
	for _, r := range regs {
		hist[r]++
	}
	const m = float64(registers)
	z := m * tau(1-float64(hist[maxRank])/m)
	for k := maxRank - 1; k >= 1; k-- {
		z += float64(hist[k])
		z *= 0.5
	}
	z += m * sigma(float64(hist[0])/m)
	alphaInf := 1 / (2 * math.Ln2)
	return uint64(math.Round(alphaInf * m * m / z))
}

// sigma(x) = x + Σ_{k≥1} x^(2^k)·2^(k-1), for the share x of empty
// registers; infinite for an empty sketch, which makes the estimate 0.
func sigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		prev := z
		z += x * y
		y += y
		if z == prev {
			return z
		}
	}
}

// tau(x) = (1 - x - Σ_{k≥1} (1 - x^(2^-k))²·2^-k) / 3, for the share x of
// registers below the maximum rank.
func tau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		z -= (1 - x) * (1 - x) * y
		if z == prev {
			return z / 3
		}
	}
}
