/**
 * Requests of the platform to URLs its customers give (webhooks): every one is checked when the
 * URL is stored and again when it is used, and sent through `postOutbound`, never `fetch`.
 */
export { type AddressUse, addressUse, embeddedIPv4, type Ip, parseIp } from "./addresses.js";
export { type AllowedAddress, parseAllowedAddress, parseAllowList } from "./allow-list.js";
export { type OutboundPolicy, outboundPolicy } from "./policy.js";
export { type OutboundOutcome, type OutboundResult, postOutbound, type Resolution, resolveChecked } from "./post.js";
export { checkOutboundUrl, internalName } from "./url.js";
