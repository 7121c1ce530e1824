// Package meeting is Tafel's domain: the state of one top-3-gesprek, the commands that
// change it, the events they produce, who may do what in which phase, and the ranking.
// It does no I/O; everything else is an adapter around it.
package meeting

import (
	"errors"
	"fmt"
)

// Error codes are stable: clients and tests rely on them.
const (
	ECodeInvalidJSON    = "invalid_json"
	ECodeInvalidUTF8    = "invalid_utf8"
	ECodeTooLarge       = "too_large"
	ECodeUnknownCommand = "unknown_command"
	ECodeInvalidInput   = "invalid_input"
	ECodeWrongPhase     = "wrong_phase"
	ECodeForbidden      = "forbidden"
	ECodeNotFound       = "not_found"
	ECodeConflict       = "conflict"
	ECodeLocked         = "locked"
	ECodeRateLimited    = "rate_limited"
	ECodeUnauthorized   = "unauthorized"
	ECodeNotHello       = "not_hello"
	ECodeInternal       = "internal"
	// ECodeRankingClosed: the ranking round is closed, ballots are final.
	ECodeRankingClosed = "ranking_closed"
	// ECodeOptionsFrozen: an option that shapes the ranking result cannot change once the round is closed.
	ECodeOptionsFrozen = "options_frozen"
	// ECodeMergeChain: a worry that others were merged into cannot itself be merged.
	ECodeMergeChain = "merge_chain"
	// ECodeTooMany: a per-person limit is reached.
	ECodeTooMany = "too_many"
)

// Error is a domain error with a stable code and a message that is safe to show.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or ECodeInternal for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ECodeInternal
}

// ErrorMessage returns the safe message of err; internal errors get a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Er ging iets mis aan onze kant. Probeer het opnieuw. (Something went wrong on our side.)"
}
