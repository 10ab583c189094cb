package actors

import (
	"context"
	"errors"

	"github.com/parley-chat/parley/messages"
)

// MediaResolver is what the conversation owners need of the media service
// (media.Service implements it; the actors do not import it).
type MediaResolver interface {
	// Resolve checks the media part of a message a client sends and fills the stored
	// message's media fields (out.MessageID is set). Refusals carry ZIM codes.
	Resolve(ctx context.Context, sender string, in, out *messages.Message) error
	// Release is called by every path that removes messages for everyone: the files
	// no message references any more are collected later.
	Release(ctx context.Context, msgs []*messages.Message) error
}

// mediaMessageTypes are added to the types a stored conversation takes.
var mediaMessageTypes = []int32{MsgImage, MsgFile, MsgAudio, MsgVideo}

func withMedia(types ...int32) []int32 { return append(types, mediaMessageTypes...) }

// The message types each kind of conversation takes, made once (a send used to build
// its list anew).
var (
	chatMessageTypes = withMedia(MsgText, MsgCommand, MsgCustom, MsgCombine) // peer, group, channel
	roomMessageTypes = withMedia(MsgText, MsgCommand, MsgBarrage, MsgCustom)
)

// resolveMedia runs the media service's checks for an outgoing message.
func (r *Runtime) resolveMedia(sender string, in, out *messages.Message) error {
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.RequestTimeout)
	defer cancel()
	err := r.cfg.Media.Resolve(ctx, sender, in, out)
	if err == nil {
		return nil
	}
	var coded interface{ ZIMCode() (int32, string) }
	if errors.As(err, &coded) {
		code, msg := coded.ZIMCode()
		return codeErr(code, msg)
	}
	r.cfg.Logger.Warn("media resolve failed", "err", err)
	return ErrStorage
}

// releaseMedia hands messages removed for everyone to the media service. A failure
// is logged: the message removal itself stands, and the files stay (a leak, not a
// loss).
func (r *Runtime) releaseMedia(ctx context.Context, msgs []*messages.Message) {
	if r.cfg.Media == nil || len(msgs) == 0 {
		return
	}
	if err := r.cfg.Media.Release(ctx, msgs); err != nil {
		r.cfg.Logger.Warn("media release failed", "err", err)
	}
}

// releaseDeletedByBoth: in a peer conversation a message is gone for everyone once
// both users deleted it; the media messages among seqs (just deleted by user) that the
// other user deleted too are released.
func (p *peerActor) releaseDeletedByBoth(ctx context.Context, g *grain, user string, seqs []int64) {
	if g.rt.cfg.Media == nil {
		return
	}
	v, err := p.log.view(ctx, p.other(user), 1, 0)
	if err != nil {
		g.Log().Warn("media release: reading deletions failed", "err", err)
		return
	}
	var gone []*messages.Message
	for _, s := range seqs {
		if v.visible(s) {
			continue
		}
		m, err := p.log.get(ctx, s)
		if err != nil {
			g.Log().Warn("media release: reading a message failed", "err", err)
			return
		}
		if m != nil && m.Type >= MsgImage && m.Type <= MsgVideo {
			gone = append(gone, m)
		}
	}
	g.rt.releaseMedia(ctx, gone)
}
