package provider

import "testing"

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
