"""Drives the official InfluxDB Python clients against the API, as a gateway or analysis script would.

    python influx_py.py write-points URL TOKEN ORG BUCKET  < points.jsonl   (2.x client, influxdb-client)
    python influx_py.py write-lines URL TOKEN ORG BUCKET   < lines.txt
    python influx_py.py ping URL
    python influx_py.py write-v1 URL USER PASSWORD DATABASE < points.jsonl  (1.x client, influxdb)
    python influx_py.py query-v1 URL USER PASSWORD DATABASE QUERY

write-points reads one JSON object a line ({"measurement", "tags", "fields", "time": unix seconds}) and
writes them as Point objects with the synchronous write API and second precision; write-lines writes
the lines as they are. The 2.x client reads with Flux only, so reads go through the 1.x client's
InfluxQL query(): its ResultSets' raw answers are printed as one JSON list (one item per statement),
with times in epoch seconds. A refusal prints "error: status N: body" to stderr and exits 1.
"""

import json
import sys
from urllib.parse import urlsplit

from influxdb import InfluxDBClient as InfluxDBClientV1
from influxdb.exceptions import InfluxDBClientError
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


def client_v1(url, user, password, database):
    parts = urlsplit(url)
    return InfluxDBClientV1(
        host=parts.hostname, port=parts.port, username=user, password=password, database=database, timeout=30
    )


def read_points():
    return [json.loads(line) for line in read_stdin_lines()]


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
        elif command == "write-v1":
            url, user, password, database = argv[2:6]
            points = [
                {"measurement": p["measurement"], "tags": p.get("tags", {}), "fields": {k: float(v) for k, v in p["fields"].items()},
                 "time": p["time"]}
                for p in read_points()
            ]
            client_v1(url, user, password, database).write_points(points, time_precision="s")
            print(f"wrote {len(points)} points")
        elif command == "query-v1":
            url, user, password, database, query = argv[2:7]
            results = client_v1(url, user, password, database).query(query, epoch="s")
            results = results if isinstance(results, list) else [results]
            print(json.dumps([result.raw for result in results], sort_keys=True))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except ApiException as error:
        print(f"error: status {error.status}: {error.body}", file=sys.stderr)
        return 1
    except InfluxDBClientError as error:
        print(f"error: status {error.code}: {error.content}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
