// Package ipintel answers "what is this IP address?" for sign-in analytics: where it is
// (country, city, coordinates), who routes it (ASN and organisation) and which lists it is
// on (commercial VPN, hosting or datacenter, Tor, anonymiser, Astrill, threat-intel IOC,
// corporate egress).
//
// Answers come from feeds the operator supplies; Unmask ships no third-party list:
//
//   - MaxMind databases in mmdb format: GeoLite2-City and GeoLite2-ASN (free with a MaxMind
//     account and licence key, https://www.maxmind.com/en/geolite2/signup, refreshed weekly)
//     or the commercial GeoIP2-City, GeoIP2-ASN/ISP and GeoIP2-Anonymous-IP databases.
//     DB-IP's "lite" City and ASN databases in mmdb format also load.
//   - CIDR lists, one prefix, address or "first-last" range per line, '#' comments: for
//     example X4BNet/lists_vpn output/vpn/ipv4.txt (commercial VPN) and
//     output/datacenter/ipv4.txt (hosting), client9/ipcat datacenters.csv (its
//     "start,end,name,url" rows load as ranges), per-provider VPN server lists, the
//     time-bound Astrill and IOC addresses from threat reports or a commercial IP
//     intelligence vendor, and the company's own corporate VPN, ZTNA and office egress
//     ranges (tag corporate, which analytics treat as trusted).
//   - ASN organisation lists, one "AS<number>" or organisation name per line, such as the
//     hosting-provider names in Elastic's hunting query
//     entra_authentication_attempts_from_abused_hosting_service_providers.toml or X4BNet's
//     input/vpn/ASN.txt and input/datacenter/ASN.txt.
//
// Each feed is read from a file or an http(s) URL and refreshed periodically by Run. URL
// feeds are fetched conditionally (ETag, Last-Modified) and a feed whose bytes did not
// change is not parsed again. A new version replaces the old one atomically (lookups
// never see a half-built state), and a malformed, truncated or suspiciously shrunken
// version is rejected with an error naming the feed and line while the last good version
// stays in use.
package ipintel
