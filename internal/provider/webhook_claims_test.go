package provider

import (
	"context"
	"testing"
	"time"
)

func TestClaimBookTakesEachBotOnce(t *testing.T) {
	var b claimBook
	orders := claimant{owner: "o1", url: "https://example.com/orders", source: `the provider's bots entry "sales"`}
	refunds := claimant{owner: "o2", url: "https://example.com/refunds", source: `the provider's bots entry "sales_eu"`}
	if _, _, ok := b.take([]claimKey{{claimAccount, "pa:100"}, {claimToken, "t1"}}, orders); !ok {
		t.Fatal("the first claim was refused")
	}
	if _, _, ok := b.take([]claimKey{{claimToken, "t2"}}, refunds); !ok {
		t.Fatal("another token was refused")
	}
	if _, _, ok := b.take([]claimKey{{claimAccount, "pa:200"}}, refunds); !ok {
		t.Fatal("another bot was refused")
	}
	key, other, ok := b.take([]claimKey{{claimAccount, "pa:300"}, {claimToken, "t1"}}, refunds)
	if ok || key != (claimKey{claimToken, "t1"}) || other != orders {
		t.Fatalf("take = %v, %v, %v; want t1 refused, held by orders", key, other, ok)
	}
	if _, _, ok := b.take([]claimKey{{claimAccount, "pa:300"}}, refunds); !ok {
		t.Error("a refused claim kept part of its keys")
	}
}

// One process serving many runs (terraform test): the same object claims
// again, a create's apply knows the url its plan did not, and a write ends
// the plan whose claims the book holds.
func TestClaimBookOwnersClaimAgain(t *testing.T) {
	var b claimBook
	planned := claimant{owner: newOwner + "sales", url: ""} // url known only at apply
	applied := claimant{owner: newOwner + "sales", url: "https://example.com/a"}
	if _, _, ok := b.take([]claimKey{{claimToken, "t1"}}, planned); !ok {
		t.Fatal("the plan's claim was refused")
	}
	if _, _, ok := b.take([]claimKey{{claimToken, "t1"}}, applied); !ok {
		t.Fatal("the apply's second planning of the same create was refused")
	}
	if _, _, ok := b.take([]claimKey{{claimToken, "t1"}}, claimant{owner: newOwner + "sales", url: "https://example.com/b"}); ok {
		t.Fatal("a second create from the same token source with another url was taken")
	}
	object := claimant{owner: "obj1", url: "https://example.com/b"}
	if _, _, ok := b.take([]claimKey{{claimAccount, "pa:100"}}, object); !ok {
		t.Fatal("an object's claim on a free account was refused")
	}
	if _, _, ok := b.take([]claimKey{{claimAccount, "pa:100"}}, claimant{owner: "obj1", url: "https://example.com/c"}); !ok {
		t.Fatal("the same object, with another url in a later run, was refused")
	}
	if _, _, ok := b.take([]claimKey{{claimAccount, "pa:100"}}, claimant{owner: "obj2"}); ok {
		t.Fatal("another object's claim on the same account was taken")
	}
	b.reset()
	if _, _, ok := b.take([]claimKey{{claimToken, "t1"}, {claimAccount, "pa:100"}}, claimant{owner: "obj2"}); !ok {
		t.Error("claims outlived the write that ended their plan")
	}
}

func TestClaimBookDestroyConflictsWithTheBotsLiveObject(t *testing.T) {
	old := claimant{owner: "o1", url: "https://example.com/orders"}
	live := claimant{owner: "o2", url: "https://example.com/refunds"}
	for _, order := range []string{"destroy first", "live first"} {
		var b claimBook
		first, second := claimKey{claimDestroy, "pa:100"}, claimKey{claimAccount, "pa:100"}
		firstBy, secondBy := old, live
		if order == "live first" {
			first, second, firstBy, secondBy = second, first, live, old
		}
		if _, _, ok := b.take([]claimKey{first}, firstBy); !ok {
			t.Fatalf("%s: the first claim was refused", order)
		}
		key, other, ok := b.take([]claimKey{second}, secondBy)
		if ok || key != first || other != firstBy {
			t.Errorf("%s: take = %v, %v, %v; want %v refused", order, key, other, ok, second)
		}
	}
	var b claimBook
	for i := 0; i < 2; i++ {
		if _, _, ok := b.take([]claimKey{{claimDestroy, "pa:100"}}, old); !ok {
			t.Error("two destroys of one bot conflict")
		}
	}
	if _, _, ok := b.take([]claimKey{{claimToken, "t1"}, {claimAccount, "pa:200"}}, live); !ok {
		t.Error("a destroy conflicts with another bot or with a token")
	}
}

func TestWriteLogLockGivesUpWhenTheOperationEnds(t *testing.T) {
	var w writeLog
	unlock, err := w.lock(context.Background(), "t1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := w.lock(ctx, " t1 "); err == nil {
		t.Fatal("a second write to the same bot (padded token) did not wait")
	}
	if other, err := w.lock(context.Background(), "t2"); err != nil {
		t.Fatal("another bot waited")
	} else {
		other()
	}
	unlock()
	again, err := w.lock(context.Background(), "t1")
	if err != nil {
		t.Fatal(err)
	}
	again()
}

// The log names the object Viber holds the webhook of, so a removal skips
// only another object's later webhook, also over many runs of one process.
func TestWriteLogSkipsOnlyAnotherObjectsWebhook(t *testing.T) {
	var w writeLog
	if w.heldByAnother("t1", "old") {
		t.Error("a fresh process skips a removal")
	}
	w.set("t1 ", "new") // create_before_destroy: the new object sets first
	if !w.heldByAnother("t1", "old") || w.heldByAnother("t1", "new") || w.heldByAnother("t2", "old") {
		t.Error("heldByAnother does not say whose webhook each bot holds")
	}
	w.removed("t1")
	w.set("t1", "obj") // run 1 creates, run 2 updates, the teardown removes
	w.set("t1", "obj")
	if w.heldByAnother("t1", "obj") {
		t.Error("an object's own earlier write skips its removal")
	}
	w.set("t1", "other")
	w.holds("t1", "obj") // a refresh finds obj's webhook at Viber
	if w.heldByAnother("t1", "obj") {
		t.Error("a refresh that found the object's webhook left another object as holder")
	}
}
