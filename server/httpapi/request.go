package httpapi

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/meeting"
)

// decodeBody reads a JSON body strictly: valid UTF-8, known fields only.
func decodeBody(c *fiber.Ctx, v any) error {
	body := c.Body()
	if !utf8.Valid(body) {
		return meeting.Fail(meeting.ECodeInvalidUTF8, "invalid_utf8", "invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return meeting.Fail(meeting.ECodeInvalidJSON, "invalid_json", "invalid JSON")
	}
	return nil
}
