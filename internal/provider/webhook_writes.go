package provider

import (
	"context"
	"sync"
)

// writeLog orders one provider process's writes to each bot's webhook. A
// replacement with create_before_destroy, or a for_each key renamed without
// a moved block, sets a bot's webhook in one object and removes it in
// another, in the same apply and in no fixed order: the removal must not
// undo the new webhook. Keyed by token, which names one bot; each entry
// names the object whose webhook Viber holds as far as this process knows.
// Objects are named in their private state, so the log stays right when
// one process serves many runs (terraform test): a removal is skipped only
// for a webhook another object set since, never for the object's own.
type writeLog struct {
	mu     sync.Mutex
	slots  map[string]chan struct{}
	holder map[string]string
}

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

// set notes that object set the webhook of token's bot.
func (w *writeLog) set(token, object string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.holder == nil {
		w.holder = map[string]string{}
	}
	w.holder[botKey(token)] = object
}

// holds notes that a read found object's webhook at Viber, where the log
// already follows token's bot.
func (w *writeLog) holds(token, object string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.holder[botKey(token)]; ok && object != "" && token != "" {
		w.holder[botKey(token)] = object
	}
}

// removed notes that token's bot has no webhook.
func (w *writeLog) removed(token string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.holder, botKey(token))
}

// heldByAnother reports whether another object than object set the
// webhook of token's bot after it.
func (w *writeLog) heldByAnother(token, object string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	holder, ok := w.holder[botKey(token)]
	return ok && holder != object
}
