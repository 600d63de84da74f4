// Where outbound HTTP may go, as configured: `*` (any public address), host names (exact, or
// `*.example.com` for its subdomains) and address ranges (`10.0.0.0/8`, `127.0.0.1`). Parsed
// once from the config (pure); src/jobs/delivery/guard.ts applies it to each connection.
import ipaddr from 'ipaddr.js';

export interface AllowList {
  /** `*` given: any address on the public internet. */
  readonly publicAddresses: boolean;
  /** Lower-case host names; a leading `.` matches subdomains. */
  readonly hosts: readonly string[];
  readonly ranges: ReadonlyArray<readonly [ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function parseAllowList(text: string): AllowList | { readonly error: string } {
  let publicAddresses = false;
  const hosts: string[] = [];
  const ranges: Array<readonly [ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') publicAddresses = true;
    else if (ipaddr.isValidCIDR(entry)) ranges.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry)) {
      const address = ipaddr.parse(entry);
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (HOST.test(entry)) hosts.push(entry.startsWith('*.') ? entry.slice(1) : entry);
    else return { error: `has an entry that is not *, a host name or an address range: ${raw.trim()}` };
  }
  return { publicAddresses, hosts, ranges };
}

/** The host is named by the list (its resolved address is then not checked). */
export function hostAllowed(list: AllowList, hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return list.hosts.some((h) => (h.startsWith('.') ? host.endsWith(h) && host.length > h.length : host === h));
}

/** The address is in a listed range, or public while `*` is listed. */
export function addressAllowed(list: AllowList, address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  if (list.ranges.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return true;
  return list.publicAddresses && ip.range() === 'unicast';
}
