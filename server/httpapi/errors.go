package httpapi

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

var (
	errNotFound     = meeting.Fail(meeting.ECodeNotFound, "", "not found")
	errUnauthorized = meeting.Fail(meeting.ECodeUnauthorized, "sign_in_first", "sign in first")
)

// retryAfterSeconds is what a client waits before it tries again after internal.
const retryAfterSeconds = "2"

// status maps an error code to its HTTP status: the one place that does.
func status(code string) int {
	switch code {
	case meeting.ECodeInvalidJSON, meeting.ECodeInvalidInput, meeting.ECodeInvalidUTF8, meeting.ECodeUnknownCommand,
		meeting.ECodeNotHello:
		return fiber.StatusBadRequest
	case meeting.ECodeUnauthorized, ECodeTOTPRequired:
		return fiber.StatusUnauthorized
	case meeting.ECodeForbidden:
		return fiber.StatusForbidden
	case meeting.ECodeNotFound:
		return fiber.StatusNotFound
	case meeting.ECodeConflict, meeting.ECodeWrongPhase, meeting.ECodeLocked,
		meeting.ECodeWrongShape, meeting.ECodeWordingUnchecked, meeting.ECodeConditionOpen,
		meeting.ECodeRankingClosed, meeting.ECodeOptionsFrozen, meeting.ECodeMergeChain, meeting.ECodeTooMany:
		return fiber.StatusConflict
	case meeting.ECodeTooLarge:
		return fiber.StatusRequestEntityTooLarge
	case meeting.ECodeRateLimited:
		return fiber.StatusTooManyRequests
	}
	// internal: nothing was changed and trying again later is right (the
	// database did not answer, say), so 503 with Retry-After.
	return fiber.StatusServiceUnavailable
}

// handleError writes every error as {"code","reason","message","params"}: clients
// show the sentence their catalogue has for the reason (or the code) in the
// reader's language; message is English, for developers. Internal errors are
// logged and never shown.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code := meeting.ECodeInvalidInput
		switch fe.Code {
		case fiber.StatusNotFound, fiber.StatusMethodNotAllowed:
			code = meeting.ECodeNotFound
		case fiber.StatusRequestEntityTooLarge:
			code = meeting.ECodeTooLarge
		case fiber.StatusUpgradeRequired:
			code = meeting.ECodeInvalidInput
		}
		c.Set("Cache-Control", "no-store")
		return c.Status(status(code)).JSON(fiber.Map{"code": code, "message": fe.Message})
	}
	if errors.Is(err, store.ErrNotFound) {
		err = errNotFound
	}
	code := meeting.ErrorCode(err)
	if u := currentUser(c); u != nil && (code == meeting.ECodeNotFound || code == meeting.ECodeForbidden) {
		// A signed-in coordinator refused: worth knowing who probes what.
		_ = s.audit(c, store.AuditEntry{Action: store.AuditDenied, ObjectType: "route", ObjectID: c.Route().Path,
			Outcome: "denied", Detail: c.Method() + " " + clipPath(c.Path())})
	}
	if code == meeting.ECodeInternal {
		s.log.Error("request failed", "request_id", RequestID(c), "method", c.Method(), "route", c.Route().Path, "err", err)
		c.Set(fiber.HeaderRetryAfter, retryAfterSeconds)
	}
	c.Set("Cache-Control", "no-store")
	return c.Status(status(code)).JSON(errorBody(err))
}

// errorBody is the JSON of an error answer; reason and params only when there are some.
func errorBody(err error) fiber.Map {
	body := fiber.Map{"code": meeting.ErrorCode(err), "message": meeting.ErrorMessage(err)}
	if r := meeting.ErrorReason(err); r != "" {
		body["reason"] = r
	}
	if p := meeting.ErrorParams(err); len(p) > 0 {
		body["params"] = p
	}
	return body
}

func clipPath(p string) string {
	if len(p) > 150 {
		return p[:150]
	}
	return p
}
