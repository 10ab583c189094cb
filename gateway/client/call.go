package client

import (
	"context"

	m "github.com/parley-chat/parley/messages"
)

// Call invitation methods (ZIM names). Signalling only: parley carries no audio or video.

// CallInvite invites users into a new call; the server makes its call ID.
func (c *Client) CallInvite(ctx context.Context, invitees []string, cfg *m.CallInviteConfig) (*m.CallInvitationSentResult, error) {
	r := &m.CallInvitationSentResult{}
	return r, c.Call(ctx, m.MethodCallInvite.Name, &m.CallInviteParams{Invitees: invitees, Config: cfg}, r)
}

// CallingInvite invites more users into an advanced mode call.
func (c *Client) CallingInvite(ctx context.Context, invitees []string, callID string, cfg *m.CallingInviteConfig) (*m.CallingInvitationSentResult, error) {
	r := &m.CallingInvitationSentResult{}
	return r, c.Call(ctx, m.MethodCallingInvite.Name, &m.CallingInviteParams{Invitees: invitees, CallID: callID, Config: cfg}, r)
}

func (c *Client) CallCancel(ctx context.Context, invitees []string, callID string, cfg *m.CallActionConfig) (*m.CallCancelSentResult, error) {
	r := &m.CallCancelSentResult{}
	return r, c.Call(ctx, m.MethodCallCancel.Name, &m.CallCancelParams{Invitees: invitees, CallID: callID, Config: cfg}, r)
}

func (c *Client) CallAccept(ctx context.Context, callID string, cfg *m.CallActionConfig) (*m.CallIDResult, error) {
	r := &m.CallIDResult{}
	return r, c.Call(ctx, m.MethodCallAccept.Name, &m.CallActionParams{CallID: callID, Config: cfg}, r)
}

func (c *Client) CallReject(ctx context.Context, callID string, cfg *m.CallActionConfig) (*m.CallIDResult, error) {
	r := &m.CallIDResult{}
	return r, c.Call(ctx, m.MethodCallReject.Name, &m.CallActionParams{CallID: callID, Config: cfg}, r)
}

func (c *Client) CallJoin(ctx context.Context, callID string, cfg *m.CallActionConfig) (*m.CallJoinSentResult, error) {
	r := &m.CallJoinSentResult{}
	return r, c.Call(ctx, m.MethodCallJoin.Name, &m.CallActionParams{CallID: callID, Config: cfg}, r)
}

func (c *Client) CallQuit(ctx context.Context, callID string, cfg *m.CallActionConfig) (*m.CallQuitSentResult, error) {
	r := &m.CallQuitSentResult{}
	return r, c.Call(ctx, m.MethodCallQuit.Name, &m.CallActionParams{CallID: callID, Config: cfg}, r)
}

func (c *Client) CallEnd(ctx context.Context, callID string, cfg *m.CallActionConfig) (*m.CallEndSentResult, error) {
	r := &m.CallEndSentResult{}
	return r, c.Call(ctx, m.MethodCallEnd.Name, &m.CallActionParams{CallID: callID, Config: cfg}, r)
}

// QueryCallInvitationList lists the user's calls, newest first; nextFlag 0 for the first
// page.
func (c *Client) QueryCallInvitationList(ctx context.Context, cfg *m.CallInvitationQueryConfig) (*m.CallInvitationListQueriedResult, error) {
	r := &m.CallInvitationListQueriedResult{}
	return r, c.Call(ctx, m.MethodQueryCallInvitationList.Name, &m.CallInvitationListQueryParams{Config: cfg}, r)
}

func (c *Client) OnCallInvitationCreated(fn func(*m.CallInvitationCreatedEvent)) {
	on(c, m.EventCallInvitationCreated.Name, fn)
}
func (c *Client) OnCallInvitationReceived(fn func(*m.CallInvitationReceivedEvent)) {
	on(c, m.EventCallInvitationReceived.Name, fn)
}
func (c *Client) OnCallInvitationCancelled(fn func(*m.CallInvitationCancelledEvent)) {
	on(c, m.EventCallInvitationCancelled.Name, fn)
}
func (c *Client) OnCallInvitationAccepted(fn func(*m.CallInvitationAnsweredEvent)) {
	on(c, m.EventCallInvitationAccepted.Name, fn)
}
func (c *Client) OnCallInvitationRejected(fn func(*m.CallInvitationAnsweredEvent)) {
	on(c, m.EventCallInvitationRejected.Name, fn)
}
func (c *Client) OnCallInvitationTimeout(fn func(*m.CallInvitationTimeoutEvent)) {
	on(c, m.EventCallInvitationTimeout.Name, fn)
}
func (c *Client) OnCallInviteesAnsweredTimeout(fn func(*m.CallInviteesAnsweredTimeoutEvent)) {
	on(c, m.EventCallInviteesAnsweredTimeout.Name, fn)
}
func (c *Client) OnCallInvitationEnded(fn func(*m.CallInvitationEndedEvent)) {
	on(c, m.EventCallInvitationEnded.Name, fn)
}
func (c *Client) OnCallUserStateChanged(fn func(*m.CallUserStateChangedEvent)) {
	on(c, m.EventCallUserStateChanged.Name, fn)
}
