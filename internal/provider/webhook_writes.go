package provider

import "sync"

// writeLog orders one provider process's writes to each bot's webhook. A
// replacement with create_before_destroy, or a for_each key renamed without
// a moved block, sets a bot's webhook in one object and removes it in
// another, in the same apply and in no fixed order: the removal must not
// undo the new webhook. Keyed by token, which names one bot.
type writeLog struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
	set   map[string]bool
}

// lock serialises the writes with token until the returned func is called.
func (w *writeLog) lock(token string) (unlock func()) {
	w.mu.Lock()
	if w.locks == nil {
		w.locks = map[string]*sync.Mutex{}
	}
	l, ok := w.locks[token]
	if !ok {
		l = &sync.Mutex{}
		w.locks[token] = l
	}
	w.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// recordSet notes that an object set the webhook of token's bot.
func (w *writeLog) recordSet(token string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.set == nil {
		w.set = map[string]bool{}
	}
	w.set[token] = true
}

// setHere reports whether an object set the webhook of token's bot in
// this process.
func (w *writeLog) setHere(token string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.set[token]
}
