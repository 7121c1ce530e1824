package main

import "testing"

func TestParseFrame(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want frame
	}{
		{"Event", `{"type":"event","seq":43,"name":"item.upserted","data":{"item":{"id":"w9","seq":1}}}`, frame{Type: "event", Seq: 43, Name: "item.upserted"}},
		{"Ack", `{"type":"ack","id":"L7-3","seq":44}`, frame{Type: "ack", ID: "L7-3", Seq: 44}},
		{"AckDuplicate", `{"type":"ack","id":"L7-3","seq":44,"duplicate":true}`, frame{Type: "ack", ID: "L7-3", Seq: 44}},
		{"Error", `{"type":"error","id":"L7-4","code":"rate_limited","message":"Rustig aan"}`, frame{Type: "error", ID: "L7-4", Code: "rate_limited"}},
		{"Snapshot", `{"type":"snapshot","seq":9,"meeting":{"seq":9}}`, frame{Type: "snapshot", Seq: 9}},
		{"EventOtherOrder", `{"seq":5,"type":"event","name":"x"}`, frame{Type: "event", Seq: 5, Name: "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseFrame([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	if _, err := parseFrame([]byte(`{"type":`)); err == nil {
		t.Error("a broken frame parsed without error")
	}
}
