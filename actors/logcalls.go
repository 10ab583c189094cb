package actors

import (
	"github.com/parley-chat/parley/messages"
)

// logReader serves the history methods every stored conversation shares
// (queryHistoryMessage, queryMessages): the owner says who may read what and how a
// reader sees the messages; validation, paging and the log reads are the same for all.
type logReader struct {
	log *msgLog
	// view is what user may see of the log; an error refuses the call (not a member…).
	view func(user string) (*readerView, error)
	// result wraps the messages as user sees them.
	result func(user string, list []*messages.Message) *messages.MessageQueriedResult
	// decorate, when set, completes user's views in place (receipt status, reactions).
	decorate func(user string, list []*messages.Message) error
}

func (r logReader) finish(user string, list []*messages.Message) (*messages.MessageQueriedResult, error) {
	res := r.result(user, list)
	if r.decorate != nil {
		if err := r.decorate(user, res.MessageList); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (r logReader) queryHistory(g *grain, call *messages.Call, params *messages.QueryHistoryMessageParams) (*messages.MessageQueriedResult, error) {
	cfg := params.Config
	if cfg == nil || cfg.Count <= 0 || int(cfg.Count) > g.rt.Limits().PageMax {
		return nil, ErrParamInvalid
	}
	v, err := r.view(call.UserID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	list, err := r.log.history(ctx, v, cfg.NextMessage.GetMessageSeq(), int(cfg.Count), cfg.Reverse)
	if err != nil {
		return nil, err
	}
	return r.finish(call.UserID, repliedStates(v, list))
}

func (r logReader) queryMessages(g *grain, call *messages.Call, params *messages.QueryMessagesParams) (*messages.MessageQueriedResult, error) {
	if len(params.MessageSeqs) == 0 || len(params.MessageSeqs) > g.rt.Limits().PageMax {
		return nil, ErrParamInvalid
	}
	v, err := r.view(call.UserID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.CallCtx()
	defer cancel()
	list, err := r.log.bySeqs(ctx, v, params.MessageSeqs)
	if err != nil {
		return nil, err
	}
	return r.finish(call.UserID, repliedStates(v, list))
}

// deleteSeqs checks deleteMessages params and returns the sequence numbers they name.
func deleteSeqs(g *grain, params *messages.DeleteMessagesParams) ([]int64, error) {
	if len(params.MessageList) == 0 || len(params.MessageList) > g.rt.Limits().PageMax {
		return nil, ErrParamInvalid
	}
	seqs := make([]int64, 0, len(params.MessageList))
	for _, m := range params.MessageList {
		if m == nil || m.MessageSeq <= 0 {
			return nil, ErrParamInvalid
		}
		seqs = append(seqs, m.MessageSeq)
	}
	return seqs, nil
}

// logMethods registers the history methods of a stored conversation's owner; reader
// is its log as callers may read it.
func logMethods[A any](t methods[A], reader func(A, *grain) logReader) {
	on(t, messages.MethodQueryHistoryMessage, func(a A, g *grain, c *messages.Call, p *messages.QueryHistoryMessageParams) (*messages.MessageQueriedResult, error) {
		return reader(a, g).queryHistory(g, c, p)
	})
	on(t, messages.MethodQueryMessages, func(a A, g *grain, c *messages.Call, p *messages.QueryMessagesParams) (*messages.MessageQueriedResult, error) {
		return reader(a, g).queryMessages(g, c, p)
	})
}
