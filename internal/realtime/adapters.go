package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/bus"
	"github.com/liveshop/liveshop/internal/hll"
	"github.com/liveshop/liveshop/internal/room"
)

// The adapters below plug the platform's packages into the interfaces of
// deps.go; tests use fakes of the same interfaces.

// RoomService adapts *room.Service to Rooms.
func RoomService(s *room.Service) Rooms { return roomService{s} }

type roomService struct{ s *room.Service }

func (r roomService) Participant(ctx context.Context, a account.Actor, roomID string) (Participant, error) {
	p, err := r.s.Participant(ctx, a, roomID)
	if err != nil {
		return Participant{}, err
	}
	return Participant{UserID: p.UserID, Name: p.Name, Role: p.Role, Muted: p.Muted, MutedUntil: p.MutedUntil, Actor: a}, nil
}

func toRoom(p Participant) room.Participant {
	return room.Participant{UserID: p.UserID, Name: p.Name, Role: p.Role, Muted: p.Muted, MutedUntil: p.MutedUntil}
}

func (r roomService) PostChat(ctx context.Context, p Participant, roomID, text string) error {
	_, err := r.s.PostChat(ctx, toRoom(p), roomID, text)
	return err
}

func (r roomService) AskQuestion(ctx context.Context, p Participant, roomID, text string) error {
	_, err := r.s.AskQuestion(ctx, toRoom(p), roomID, text)
	return err
}

func (r roomService) AddLikes(ctx context.Context, roomID string, n int) error {
	return r.s.AddLikes(ctx, roomID, n)
}

func (r roomService) Snapshot(ctx context.Context, p Participant, roomID string) (Snapshot, error) {
	s, err := r.s.Snapshot(ctx, toRoom(p), roomID)
	if err != nil {
		return Snapshot{}, err
	}
	data, err := json.Marshal(s)
	if err != nil {
		return Snapshot{}, fmt.Errorf("realtime: snapshot of %s: %w", roomID, err)
	}
	return Snapshot{Data: data, Status: s.Session.Status, Likes: s.Likes, Peak: s.Peak}, nil
}

func (r roomService) RecordPeak(ctx context.Context, roomID string, peak int) error {
	return r.s.RecordPeak(ctx, roomID, peak)
}

// BusOf adapts a bus.Bus (Local or NATS) to Bus.
func BusOf(b bus.Bus) Bus { return platformBus{b} }

type platformBus struct{ b bus.Bus }

func (p platformBus) Publish(subject string, payload any) { p.b.Publish(subject, payload) }

func (p platformBus) Subscribe(pattern string, fn func(Message)) (func(), error) {
	return p.b.Subscribe(pattern, func(m bus.Message) { fn(Message(m)) })
}

func (p platformBus) Replay(subject string, afterSeq uint64, max int) ([]Message, error) {
	ms, err := p.b.Replay(subject, afterSeq, max)
	if err != nil {
		return nil, err
	}
	out := make([]Message, len(ms))
	for i, m := range ms {
		out[i] = Message(m)
	}
	return out, nil
}

// HLLUniques counts unique viewers with internal/hll.
type HLLUniques struct{}

// New returns an empty HyperLogLog.
func (HLLUniques) New() Sketch { return hllSketch{hll.New()} }

// Decode reads another node's HyperLogLog.
func (HLLUniques) Decode(b []byte) (Sketch, error) {
	h := hll.New()
	if err := h.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return hllSketch{h}, nil
}

type hllSketch struct{ h *hll.HLL }

func (s hllSketch) Add(id []byte)                  { s.h.Add(id) }
func (s hllSketch) Count() uint64                  { return s.h.Count() }
func (s hllSketch) MarshalBinary() ([]byte, error) { return s.h.MarshalBinary() }

func (s hllSketch) Merge(other Sketch) error {
	o, ok := other.(hllSketch)
	if !ok {
		return errors.New("realtime: cannot merge another kind of sketch into a HyperLogLog")
	}
	s.h.Merge(o.h)
	return nil
}

var (
	_ Rooms   = roomService{}
	_ Bus     = platformBus{}
	_ Uniques = HLLUniques{}
)
