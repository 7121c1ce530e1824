package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestChildCodes: a child code belongs to one meeting of one organisation, is no
// join code, is revoked once, is bounded per meeting, and goes with its family.
func TestChildCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org, info := fixture(t, s)
		other, otherInfo := fixture(t, s)
		cc, err := s.CreateChildCode(ctx, org.ID, info.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if len(cc.Code) != store.JoinCodeLength || cc.Code == info.JoinCode || !strings.HasPrefix(cc.ChildID, meeting.ChildCodeIDPrefix) ||
			cc.MeetingID != info.ID || cc.RevokedAt != nil || !cc.ExpiresAt.After(cc.CreatedAt) {
			t.Fatalf("child code = %+v", cc)
		}
		t.Run("FoundByCodeOnly", func(t *testing.T) {
			if got, err := s.FindChildCode(ctx, cc.Code); err != nil || got.ID != cc.ID || got.ChildID != cc.ChildID {
				t.Fatalf("find = %+v, %v", got, err)
			}
			if _, err := s.FindChildCode(ctx, info.JoinCode); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a join code found a child code: %v", err)
			}
			if _, err := s.FindMeetingByJoinCode(ctx, cc.Code); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a child code found a meeting by join code: %v", err)
			}
		})
		t.Run("ErrOtherOrganisation", func(t *testing.T) {
			if _, err := s.CreateChildCode(ctx, other.ID, info.ID, time.Hour); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("another organisation made a code for this meeting: %v", err)
			}
			if list, err := s.ListChildCodes(ctx, other.ID, info.ID); err != nil || len(list) != 0 {
				t.Fatalf("another organisation lists %v, %v", list, err)
			}
			if _, err := s.RevokeChildCode(ctx, other.ID, info.ID, cc.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("another organisation revoked it: %v", err)
			}
			if _, err := s.RevokeChildCode(ctx, other.ID, otherInfo.ID, cc.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("revoked through another meeting: %v", err)
			}
		})
		t.Run("RevokeOnce", func(t *testing.T) {
			r1, err := s.RevokeChildCode(ctx, org.ID, info.ID, cc.ID)
			if err != nil || r1.RevokedAt == nil {
				t.Fatalf("revoke = %+v, %v", r1, err)
			}
			r2, err := s.RevokeChildCode(ctx, org.ID, info.ID, cc.ID)
			if err != nil || r2.RevokedAt == nil || !r2.RevokedAt.Equal(*r1.RevokedAt) {
				t.Fatalf("revoking again changed it: %+v, %v", r2, err)
			}
			if got, _ := s.FindChildCode(ctx, cc.Code); got.RevokedAt == nil {
				t.Fatal("a revoked code is found as active")
			}
		})
		t.Run("ErrTooMany", func(t *testing.T) {
			for i := 1; i < store.MaxChildCodes; i++ {
				if _, err := s.CreateChildCode(ctx, org.ID, info.ID, time.Hour); err != nil {
					t.Fatalf("code %d: %v", i+1, err)
				}
			}
			if _, err := s.CreateChildCode(ctx, org.ID, info.ID, time.Hour); !errors.Is(err, store.ErrTooManyChildCodes) {
				t.Fatalf("code %d: %v", store.MaxChildCodes+1, err)
			}
			if list, _ := s.ListChildCodes(ctx, org.ID, info.ID); len(list) != store.MaxChildCodes || list[0].ID != cc.ID {
				t.Fatalf("listed %d codes, first %v", len(list), list[0].ID)
			}
		})
		t.Run("ErasedWithTheFamily", func(t *testing.T) {
			if _, err := s.EraseFamily(ctx, org.ID, info.FamilyID, store.AuditEntry{OrganisationID: org.ID, ActorType: "user", ActorID: "u1",
				Action: store.AuditDelete}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindChildCode(ctx, cc.Code); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a child code outlived its family: %v", err)
			}
		})
	})
}
