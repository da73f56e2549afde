package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
)

// Replay returns the kept messages of a stream subject after afterSeq,
// oldest first, read with a short-lived consumer.
//
// Sequences are stream-wide, so a gap before a subject's first kept message
// is normal (other rooms' events). Messages of one subject are removed
// oldest first, by age (which removes everything below the stream's first
// sequence) or by the per-subject limit (only when the subject is full), so
// messages after afterSeq can only be missing when afterSeq+1 is below the
// subject's first kept message and either afterSeq+1 is below the stream's
// first sequence or the subject is full. That is when ErrTooOld is returned.
func (n *NATS) Replay(subject string, afterSeq uint64, max int) ([]Message, error) {
	if err := validSubject(subject); err != nil {
		return nil, err
	}
	if !Match(n.pattern, strings.Split(subject, ".")) {
		return nil, ErrNotStream
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*n.timeout)
	defer cancel()
	info, err := n.stream.Info(ctx, jetstream.WithSubjectFilter(subject))
	if err != nil {
		return nil, fmt.Errorf("bus: nats: replay %s: stream info: %w", subject, err)
	}
	st := info.State
	if afterSeq > st.LastSeq {
		// A sequence the stream never handed out: it was recreated (an
		// embedded server restarted), so the caller's position means nothing.
		return nil, ErrTooOld
	}
	count := st.Subjects[subject]
	full := info.Config.MaxMsgsPerSubject > 0 && count >= uint64(info.Config.MaxMsgsPerSubject)
	if afterSeq > 0 && (afterSeq+1 < st.FirstSeq || full) {
		tooOld, err := n.firstKeptAfter(ctx, subject, afterSeq, count, st.FirstSeq)
		if err != nil {
			return nil, err
		}
		if tooOld {
			return nil, ErrTooOld
		}
	}
	if count == 0 {
		return nil, nil
	}
	return n.fetch(ctx, subject, afterSeq, max)
}

// firstKeptAfter reports whether the subject's first kept message comes
// after afterSeq+1, i.e. whether something in between may be gone.
func (n *NATS) firstKeptAfter(ctx context.Context, subject string, afterSeq, count, streamFirst uint64) (bool, error) {
	if count == 0 {
		return true, nil
	}
	first, err := n.stream.GetMsg(ctx, streamFirst, jetstream.WithGetMsgSubject(subject))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return true, nil // removed since the stream info: certainly too old
	}
	if err != nil {
		return false, fmt.Errorf("bus: nats: replay %s: first message: %w", subject, err)
	}
	return first.Sequence > afterSeq+1, nil
}

// fetch reads up to max messages of subject after afterSeq through an
// ephemeral consumer, asking for exactly what the consumer reports pending
// so the fetch never waits for messages that do not exist.
func (n *NATS) fetch(ctx context.Context, subject string, afterSeq uint64, max int) ([]Message, error) {
	cons, err := n.stream.CreateConsumer(ctx, jetstream.ConsumerConfig{
		FilterSubject:     subject,
		DeliverPolicy:     jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:       afterSeq + 1,
		AckPolicy:         jetstream.AckNonePolicy,
		InactiveThreshold: consumerIdle,
		MemoryStorage:     true,
		Replicas:          1,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: nats: replay %s: consumer: %w", subject, err)
	}
	name := cons.CachedInfo().Name
	defer func() {
		// Deleting is tidiness only (the server drops idle consumers), so
		// it does not hold up the caller.
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), n.timeout)
			defer cancel()
			_ = n.stream.DeleteConsumer(ctx, name)
		}()
	}()
	want := cons.CachedInfo().NumPending
	if max > 0 && uint64(max) < want {
		want = uint64(max)
	}
	if want == 0 {
		return nil, nil
	}
	batch, err := cons.Fetch(int(want), jetstream.FetchContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("bus: nats: replay %s: fetch: %w", subject, err)
	}
	out := make([]Message, 0, want)
	for msg := range batch.Messages() {
		md, err := msg.Metadata()
		if err != nil {
			return nil, fmt.Errorf("bus: nats: replay %s: metadata: %w", subject, err)
		}
		out = append(out, Message{Subject: msg.Subject(), Data: msg.Data(), Seq: md.Sequence.Stream})
	}
	if err := batch.Error(); err != nil {
		return nil, fmt.Errorf("bus: nats: replay %s: fetch: %w", subject, err)
	}
	if uint64(len(out)) < want {
		// Messages expired between the consumer's creation and the fetch.
		return nil, ErrTooOld
	}
	return out, nil
}
