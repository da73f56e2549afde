package bus

import "time"

// subjectLog keeps the numbered messages of one stream subject in Local.
// Sequence numbers are contiguous per subject, so the kept messages are
// exactly the seqs last-len(kept)+1 … last.
type subjectLog struct {
	last uint64
	msgs []keptMessage // oldest first; trimmed from the front
}

type keptMessage struct {
	Message
	at time.Time
}

// append numbers a message and keeps at most keep of them. Trimming
// re-slices from the front; when append outgrows the backing array it
// copies only the kept messages, so the cost stays O(1) amortised.
func (l *subjectLog) append(subject string, data []byte, at time.Time, keep int) uint64 {
	l.last++
	l.msgs = append(l.msgs, keptMessage{Message: Message{Subject: subject, Data: data, Seq: l.last}, at: at})
	if len(l.msgs) > keep {
		l.msgs = l.msgs[len(l.msgs)-keep:]
	}
	return l.last
}

// expire forgets messages stored before cutoff; the numbering goes on.
func (l *subjectLog) expire(cutoff time.Time) {
	i := 0
	for i < len(l.msgs) && l.msgs[i].at.Before(cutoff) {
		i++
	}
	if i == len(l.msgs) {
		l.msgs = nil
		return
	}
	l.msgs = l.msgs[i:]
}

// after returns messages after afterSeq (at most max when max > 0),
// ignoring those stored before cutoff, or ErrTooOld when some of the
// messages after afterSeq are gone or afterSeq was never handed out.
func (l *subjectLog) after(afterSeq uint64, max int, cutoff time.Time) ([]Message, error) {
	kept := l.msgs
	for len(kept) > 0 && kept[0].at.Before(cutoff) {
		kept = kept[1:]
	}
	first := l.last - uint64(len(kept)) + 1
	if afterSeq > l.last || (afterSeq > 0 && afterSeq+1 < first) {
		return nil, ErrTooOld
	}
	if afterSeq >= first {
		kept = kept[afterSeq-first+1:]
	}
	if max > 0 && len(kept) > max {
		kept = kept[:max]
	}
	out := make([]Message, len(kept))
	for i, k := range kept {
		out[i] = k.Message
	}
	return out, nil
}
