package provider

import (
	"context"
	"testing"
	"time"
)

func TestClaimBookTakesEachBotOnce(t *testing.T) {
	var b claimBook
	orders := claimant{url: "https://example.com/orders", source: `the provider's bots entry "sales"`}
	refunds := claimant{url: "https://example.com/refunds", source: `the provider's bots entry "sales_eu"`}
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
	if mark := b.planMark(); mark == "" || b.planMark() != mark {
		t.Error("the plan mark is empty or changes")
	}
	var other2 claimBook
	if other2.planMark() == b.planMark() {
		t.Error("two processes share a plan mark")
	}
}

func TestClaimBookDestroyConflictsWithTheBotsLiveObject(t *testing.T) {
	old := claimant{url: "https://example.com/orders"}
	live := claimant{url: "https://example.com/refunds"}
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
	w.recordSet("t1 ")
	if !w.setHere("t1") || w.setHere("t2") {
		t.Error("setHere does not say which bot was set")
	}
}
