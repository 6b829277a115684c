"""Drives the official InfluxDB 2.x Python client against the API, as a gateway script would.

    python influx_py.py write-points URL TOKEN ORG BUCKET  < points.jsonl
    python influx_py.py write-lines URL TOKEN ORG BUCKET   < lines.txt
    python influx_py.py ping URL

write-points reads one JSON object a line ({"measurement", "tags", "fields", "time": unix seconds}) and
writes them as Point objects with the synchronous write API and second precision; write-lines writes
the lines as they are. A refusal prints "error: status N: body" to stderr and exits 1.
"""

import json
import sys

from influxdb_client import InfluxDBClient, Point, WritePrecision
from influxdb_client.client.write_api import SYNCHRONOUS
from influxdb_client.rest import ApiException


def read_stdin_lines():
    return [line.strip() for line in sys.stdin if line.strip()]


def write(url, token, org, bucket, records):
    with InfluxDBClient(url=url, token=token, org=org, timeout=30_000) as client:
        client.write_api(write_options=SYNCHRONOUS).write(
            bucket=bucket, org=org, record=records, write_precision=WritePrecision.S
        )


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    try:
        if command == "write-points":
            url, token, org, bucket = argv[2:6]
            points = []
            for line in read_stdin_lines():
                data = json.loads(line)
                point = Point(data["measurement"]).time(data["time"], WritePrecision.S)
                for key, value in data.get("tags", {}).items():
                    point = point.tag(key, value)
                for key, value in data["fields"].items():
                    point = point.field(key, float(value))
                points.append(point)
            write(url, token, org, bucket, points)
            print(f"wrote {len(points)} points")
        elif command == "write-lines":
            url, token, org, bucket = argv[2:6]
            lines = read_stdin_lines()
            write(url, token, org, bucket, lines)
            print(f"wrote {len(lines)} lines")
        elif command == "ping":
            with InfluxDBClient(url=argv[2], token="") as client:
                print(f"ping {client.ping()}")
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except ApiException as error:
        print(f"error: status {error.status}: {error.body}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
