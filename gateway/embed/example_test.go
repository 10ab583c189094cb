package embed_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway/embed"
	"github.com/parley-chat/parley/messages"
)

// A game server embeds parley: a guild (community) with a lobby channel, players in
// it, and a player's session receiving a chat message.
func Example() {
	ctx := context.Background()
	srv, err := embed.Start(ctx, embed.Options{InMemory: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		panic(err)
	}
	defer srv.Close(ctx)

	// One session per player (and one for the game itself): each is a logged-in device.
	game, _ := srv.Session("game", embed.UserName("Game Master"))
	alice, _ := srv.Session("alice", embed.UserName("Alice"))
	bob, _ := srv.Session("bob", embed.UserName("Bob"))

	// The game creates the guild and its lobby; the players join.
	_, err = embed.Call(ctx, game, messages.MethodCreateCommunity, &messages.CommunityCreateParams{
		CommunityInfo: &messages.CommunityInfo{CommunityID: "guild", CommunityName: "The Guild"}})
	check(err)
	_, err = embed.Call(ctx, game, messages.MethodCreateCommunityChannel, &messages.CommunityChannelCreateParams{
		CommunityID: "guild", ChannelInfo: &messages.CommunityChannelInfo{ChannelID: "lobby", ChannelName: "Lobby"}})
	check(err)
	for _, player := range []*embed.Session{alice, bob} {
		_, err = embed.Call(ctx, player, messages.MethodJoinCommunity, &messages.CommunityIDParams{CommunityID: "guild"})
		check(err)
	}

	// Alice writes in the lobby (conversation type 3: a community channel).
	lobby := actors.ChannelConversationID("guild", "lobby")
	sent, err := embed.Call(ctx, alice, messages.MethodSendMessage, &messages.SendMessageParams{
		Message: &messages.Message{Type: 1, Message: "gg, rematch?"}, ToConversationID: lobby, ConversationType: actors.ConvChannel})
	check(err)
	fmt.Println("sent as message", sent.Message.MessageSeq, "of", sent.Message.ConversationID)

	// Bob's session gets it (among his other events: joining pushed some).
	ev := waitFor(bob, messages.EventCommunityChannelMessageReceived.Name)
	m := ev.Payload.(*messages.ConversationMessageReceivedEvent).MessageList[0]
	fmt.Printf("bob got %q from %s\n", m.Message, m.SenderUserID)

	// Refusals carry ZIM codes.
	_, err = embed.Call(ctx, bob, messages.MethodJoinCommunity, &messages.CommunityIDParams{CommunityID: "nowhere"})
	fmt.Println("join nowhere:", err.(*actors.CodeError).Code)

	// Output:
	// sent as message 1 of guild/lobby
	// bob got "gg, rematch?" from alice
	// join nowhere: 6001004
}

// waitFor reads the session's events until one named name (or gives up after 10 s).
func waitFor(s *embed.Session, name string) embed.Event {
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-s.Events():
			if ev.Name == name {
				return ev
			}
		case <-timeout:
			panic("no " + name)
		}
	}
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
