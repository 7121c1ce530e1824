package httpapi

import (
	"fmt"
	"html"
	"strings"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"
)

// JoinURL is the link a phone opens to join a meeting.
func (s *Server) JoinURL(code string) string {
	return strings.TrimRight(s.cfg.BaseURL, "/") + "/join/" + code
}

// qrCode draws the meeting's join link as an SVG: crisp on a projector at any size.
func (s *Server) qrCode(c *fiber.Ctx) error {
	info, err := s.ownMeeting(c)
	if err != nil {
		return err
	}
	return sendQRCode(c, s.JoinURL(info.JoinCode), "QR-code om mee te doen")
}

// sendQRCode answers with text drawn as an SVG QR code, labelled for screen readers.
func sendQRCode(c *fiber.Ctx, text, label string) error {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return err
	}
	bits := q.Bitmap() // includes the quiet zone
	var path strings.Builder
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	n := len(bits)
	c.Set(fiber.HeaderContentType, "image/svg+xml")
	return c.SendString(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="%s"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, html.EscapeString(label), n, n, path.String()))
}
