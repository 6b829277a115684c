/** The later of a device's last HTTP write and last MQTT message, and which one it was. */
export function lastDelivery(d: {
  readonly lastHttpAt?: string | null | undefined;
  readonly lastMqttAt?: string | null | undefined;
}): { at: string; protocol: "HTTP" | "MQTT" } | undefined {
  const http = d.lastHttpAt ? Date.parse(d.lastHttpAt) : Number.NEGATIVE_INFINITY;
  const mqtt = d.lastMqttAt ? Date.parse(d.lastMqttAt) : Number.NEGATIVE_INFINITY;
  if (d.lastMqttAt && mqtt >= http) return { at: d.lastMqttAt, protocol: "MQTT" };
  if (d.lastHttpAt) return { at: d.lastHttpAt, protocol: "HTTP" };
  return undefined;
}
