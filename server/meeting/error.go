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

// Error is a domain error. Code is its category (it decides the HTTP status and
// what a client may retry); Reason names the exact sentence a client shows, from
// its own catalogue in the reader's language, filled in with Params. Message is
// English, for developers and logs: it is never a sentence for a person.
type Error struct {
	Code    string
	Reason  string
	Message string
	Params  map[string]any
}

func (e *Error) Error() string {
	if e.Reason == "" {
		return e.Code + ": " + e.Message
	}
	return e.Code + " (" + e.Reason + "): " + e.Message
}

// Errorf returns an *Error with the given code, no reason and a formatted English message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Fail returns an *Error with a code, the reason clients turn into a sentence, an
// English message and the parameters the sentence needs, as name/value pairs.
func Fail(code, reason, message string, params ...any) *Error {
	e := &Error{Code: code, Reason: reason, Message: message}
	for i := 0; i+1 < len(params); i += 2 {
		name, ok := params[i].(string)
		if !ok {
			continue
		}
		if e.Params == nil {
			e.Params = make(map[string]any, len(params)/2)
		}
		e.Params[name] = params[i+1]
	}
	return e
}

// ErrorCode returns the code of err, or ECodeInternal for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ECodeInternal
}

// ErrorReason returns the reason of err ("" when the code says it all).
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// ErrorParams returns the parameters of err's sentence, or nil.
func ErrorParams(err error) map[string]any {
	var e *Error
	if errors.As(err, &e) {
		return e.Params
	}
	return nil
}

// ErrorMessage returns the English message of err; internal errors get a generic one,
// so nothing about the server's inside reaches a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "something went wrong on our side"
}
