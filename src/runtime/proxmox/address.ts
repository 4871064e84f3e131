import { z } from "zod";

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** An IPv4 address as a 32-bit number, or undefined when it is not one. */
export function ipv4ToNumber(address: string): number | undefined {
    const m = OCTETS.exec(address);
    if (m === null) return undefined;
    const parts = m.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return parts.reduce((acc, p) => acc * 256 + p, 0);
}

/** A plain IPv4 address. */
export const ipv4Address = z
    .string()
    .refine((a) => ipv4ToNumber(a) !== undefined, { error: 'expected an IPv4 address such as "10.20.0.11"' });

/** An IPv4 network with a prefix length that leaves room for hosts (/8 to /30). */
export const ipv4Cidr = z
    .string()
    .refine((c) => hostAddresses(c) !== undefined, { error: 'expected an IPv4 network such as "10.20.0.0/24"' });

/** First and last usable host address of a network (network and broadcast addresses excluded). */
export function hostAddresses(cidr: string): { first: number; last: number; prefix: number } | undefined {
    const [address, bits] = cidr.split("/");
    const base = ipv4ToNumber(address ?? "");
    const prefix = Number(bits);
    if (base === undefined || !/^\d{1,2}$/.test(bits ?? "") || prefix < 8 || prefix > 30) return undefined;
    const size = 2 ** (32 - prefix);
    const network = base - (base % size);
    return { first: network + 1, last: network + size - 2, prefix };
}

/** Whether an address is a usable host address of the network. */
export function inCidr(address: string, cidr: string): boolean {
    const n = ipv4ToNumber(address);
    const hosts = hostAddresses(cidr);
    return n !== undefined && hosts !== undefined && n >= hosts.first && n <= hosts.last;
}

/** The prefix length of a network, e.g. 24 for "10.20.0.0/24". */
export function prefixOf(cidr: string): number {
    return Number(cidr.split("/")[1]);
}
