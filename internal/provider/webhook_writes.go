package provider

import (
	"context"
	"strings"
	"sync"
)

// writeLog orders one provider process's writes to each bot's webhook. A
// replacement with create_before_destroy, or a for_each key renamed without
// a moved block, sets a bot's webhook in one object and removes it in
// another, in the same apply and in no fixed order: the removal must not
// undo the new webhook. Keyed by token, which names one bot.
type writeLog struct {
	mu    sync.Mutex
	slots map[string]chan struct{}
	set   map[string]bool
}

// botKey is token as a key for its bot: Viber reads a token without its
// padding, so " t " and "t" name one bot.
func botKey(token string) string { return strings.TrimSpace(token) }

// lock serialises the writes with token until the returned func is called,
// or gives up when ctx ends (the operation's timeout, an interrupt).
func (w *writeLog) lock(ctx context.Context, token string) (unlock func(), err error) {
	token = botKey(token)
	w.mu.Lock()
	if w.slots == nil {
		w.slots = map[string]chan struct{}{}
	}
	slot, ok := w.slots[token]
	if !ok {
		slot = make(chan struct{}, 1)
		w.slots[token] = slot
	}
	w.mu.Unlock()
	select {
	case slot <- struct{}{}:
		return func() { <-slot }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// recordSet notes that an object set the webhook of token's bot.
func (w *writeLog) recordSet(token string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.set == nil {
		w.set = map[string]bool{}
	}
	w.set[botKey(token)] = true
}

// setHere reports whether an object set the webhook of token's bot in
// this process.
func (w *writeLog) setHere(token string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.set[botKey(token)]
}
