// Command influx-go drives the official InfluxDB 2.x Go client against the API, as a gateway would.
//
//	influx-go -url URL -token TOKEN -org ORG -bucket BUCKET write-points  < points.jsonl
//	influx-go -url URL -token TOKEN -org ORG -bucket BUCKET write-lines   < lines.txt
//	influx-go -url URL health | ping
//
// write-points reads one JSON object a line ({"measurement", "tags", "fields", "time": unix seconds})
// and writes them as points built by the client, with the blocking write API and second precision;
// write-lines writes the lines as they are. For the InfluxDB 1.8 compatibility form, pass
// -token "user:password" and -bucket "database/retention-policy" with an empty -org.
// Errors go to stderr as "error: ...", with the HTTP status when the server answered one.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	influxdb2 "github.com/influxdata/influxdb-client-go/v2"
	influxhttp "github.com/influxdata/influxdb-client-go/v2/api/http"
)

type point struct {
	Measurement string             `json:"measurement"`
	Tags        map[string]string  `json:"tags"`
	Fields      map[string]float64 `json:"fields"`
	Time        int64              `json:"time"`
}

func main() {
	url := flag.String("url", "", "API base URL")
	token := flag.String("token", "", "device token (or user:password)")
	org := flag.String("org", "", "organisation (required by the client, ignored by the API)")
	bucket := flag.String("bucket", "", "bucket (required by the client, ignored by the API)")
	flag.Parse()
	if *url == "" || flag.NArg() != 1 {
		fail(errors.New("usage: influx-go -url URL [-token T -org O -bucket B] write-points|write-lines|health|ping"))
	}
	options := influxdb2.DefaultOptions().SetPrecision(time.Second).SetHTTPRequestTimeout(30)
	client := influxdb2.NewClientWithOptions(*url, *token, options)
	defer client.Close()
	ctx := context.Background()

	switch flag.Arg(0) {
	case "write-points":
		var points []*point
		scanner := bufio.NewScanner(os.Stdin)
		for scanner.Scan() {
			line := strings.TrimSpace(scanner.Text())
			if line == "" {
				continue
			}
			var p point
			if err := json.Unmarshal([]byte(line), &p); err != nil {
				fail(fmt.Errorf("bad point %q: %w", line, err))
			}
			points = append(points, &p)
		}
		writer := client.WriteAPIBlocking(*org, *bucket)
		for _, p := range points {
			fields := make(map[string]interface{}, len(p.Fields))
			for k, v := range p.Fields {
				fields[k] = v
			}
			if err := writer.WritePoint(ctx, influxdb2.NewPoint(p.Measurement, p.Tags, fields, time.Unix(p.Time, 0))); err != nil {
				fail(err)
			}
		}
		fmt.Printf("wrote %d points\n", len(points))
	case "write-lines":
		var lines []string
		scanner := bufio.NewScanner(os.Stdin)
		for scanner.Scan() {
			if line := strings.TrimSpace(scanner.Text()); line != "" {
				lines = append(lines, line)
			}
		}
		if err := client.WriteAPIBlocking(*org, *bucket).WriteRecord(ctx, lines...); err != nil {
			fail(err)
		}
		fmt.Printf("wrote %d lines\n", len(lines))
	case "health":
		health, err := client.Health(ctx)
		if err != nil {
			fail(err)
		}
		fmt.Printf("%s %s\n", health.Name, health.Status)
	case "ping":
		ok, err := client.Ping(ctx)
		if err != nil {
			fail(err)
		}
		fmt.Printf("ping %t\n", ok)
	default:
		fail(fmt.Errorf("unknown command %q", flag.Arg(0)))
	}
}

func fail(err error) {
	var httpErr *influxhttp.Error
	if errors.As(err, &httpErr) {
		fmt.Fprintf(os.Stderr, "error: status %d code %q: %s\n", httpErr.StatusCode, httpErr.Code, httpErr.Message)
	} else {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
	}
	os.Exit(1)
}
