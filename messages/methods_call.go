package messages

// Calls (call invitations, issue 15): every method that names a call runs in that call's
// actor; callInvite gets a server-made call ID from the gateway; queryCallInvitationList
// runs in the caller's user actor (a range read of the user's call index).
var (
	EventCallInvitationCreated       = event[CallInvitationCreatedEvent]("callInvitationCreated")
	EventCallInvitationReceived      = event[CallInvitationReceivedEvent]("callInvitationReceived")
	EventCallInvitationCancelled     = event[CallInvitationCancelledEvent]("callInvitationCancelled")
	EventCallInvitationAccepted      = event[CallInvitationAnsweredEvent]("callInvitationAccepted")
	EventCallInvitationRejected      = event[CallInvitationAnsweredEvent]("callInvitationRejected")
	EventCallInvitationTimeout       = event[CallInvitationTimeoutEvent]("callInvitationTimeout")
	EventCallInviteesAnsweredTimeout = event[CallInviteesAnsweredTimeoutEvent]("callInviteesAnsweredTimeout")
	EventCallInvitationEnded         = event[CallInvitationEndedEvent]("callInvitationEnded")
	EventCallUserStateChanged        = event[CallUserStateChangedEvent]("callUserStateChanged")

	// callInvite also arms the invitees' timeouts: the timeout events are pushed by the
	// call actor when they pass, on behalf of the invite.
	MethodCallInvite = method[CallInviteParams, CallInvitationSentResult]("callInvite", OwnerCall,
		EventCallInvitationCreated.Name, EventCallInvitationReceived.Name, EventCallUserStateChanged.Name,
		EventCallInvitationTimeout.Name, EventCallInviteesAnsweredTimeout.Name, EventCallInvitationEnded.Name)
	MethodCallingInvite = method[CallingInviteParams, CallingInvitationSentResult]("callingInvite", OwnerCall,
		EventCallInvitationReceived.Name, EventCallUserStateChanged.Name, EventCallInvitationTimeout.Name, EventCallInviteesAnsweredTimeout.Name)
	MethodCallCancel = method[CallCancelParams, CallCancelSentResult]("callCancel", OwnerCall,
		EventCallInvitationCancelled.Name, EventCallUserStateChanged.Name, EventCallInvitationEnded.Name)
	MethodCallAccept = method[CallActionParams, CallIDResult]("callAccept", OwnerCall,
		EventCallInvitationAccepted.Name, EventCallUserStateChanged.Name)
	MethodCallReject = method[CallActionParams, CallIDResult]("callReject", OwnerCall,
		EventCallInvitationRejected.Name, EventCallUserStateChanged.Name, EventCallInvitationEnded.Name)
	MethodCallJoin = method[CallActionParams, CallJoinSentResult]("callJoin", OwnerCall,
		EventCallUserStateChanged.Name)
	MethodCallQuit = method[CallActionParams, CallQuitSentResult]("callQuit", OwnerCall,
		EventCallUserStateChanged.Name, EventCallInvitationEnded.Name)
	MethodCallEnd = method[CallActionParams, CallEndSentResult]("callEnd", OwnerCall,
		EventCallUserStateChanged.Name, EventCallInvitationEnded.Name)
	MethodQueryCallInvitationList = method[CallInvitationListQueryParams, CallInvitationListQueriedResult]("queryCallInvitationList", OwnerUser)
)
