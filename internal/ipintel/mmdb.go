package ipintel

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/oschwald/geoip2-golang/v2"
	"github.com/oschwald/maxminddb-golang/v2"
)

// openMMDB opens an in-memory MaxMind database of the given kind after verifying its
// whole structure, so that a truncated or corrupt download is rejected at load time rather
// than failing lookups later. The bytes are kept in memory (not memory-mapped), so an old
// version stays valid for lookups in flight after a swap.
func openMMDB(data []byte, kind FeedKind) (*geoip2.Reader, *maxminddb.Reader, error) {
	raw, err := maxminddb.OpenBytes(data)
	if err != nil {
		return nil, nil, fmt.Errorf("open mmdb: %w", err)
	}
	if err := raw.Verify(); err != nil {
		return nil, nil, fmt.Errorf("verify mmdb: %w", err)
	}
	r, err := geoip2.OpenBytes(data)
	if err != nil {
		return nil, nil, fmt.Errorf("open mmdb: %w", err)
	}
	var probe error
	switch kind {
	case KindCity:
		_, probe = r.City(netip.IPv6Unspecified())
	case KindASN:
		_, probe = r.ASN(netip.IPv6Unspecified())
	case KindAnonymousIP:
		_, probe = r.AnonymousIP(netip.IPv6Unspecified())
	default:
		return nil, nil, fmt.Errorf("feed kind %s is not an mmdb kind", kind)
	}
	if _, ok := errors.AsType[geoip2.InvalidMethodError](probe); ok {
		return nil, nil, fmt.Errorf("mmdb database type %q is not usable as %s", r.Metadata().DatabaseType, kind)
	}
	return r, raw, nil
}

// cityRecord is the part of a GeoIP2 City record that lookups need. Decoding only these
// fields, rather than geoip2.City with every language's names, makes a lookup several
// times faster.
type cityRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	City struct {
		Names struct {
			English string `maxminddb:"en"`
		} `maxminddb:"names"`
	} `maxminddb:"city"`
	Subdivisions []struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"subdivisions"`
	Location geoip2.Location `maxminddb:"location"`
}

// lookupCity fills the geographic fields of info from a City database.
func lookupCity(r *maxminddb.Reader, a netip.Addr, info *Info) {
	var c cityRecord
	if err := r.Lookup(a).Decode(&c); err != nil {
		return
	}
	info.Country = c.Country.ISOCode
	info.City = c.City.Names.English
	if len(c.Subdivisions) > 0 {
		info.Region = c.Subdivisions[0].ISOCode
	}
	info.TimeZone = c.Location.TimeZone
	if c.Location.HasCoordinates() {
		info.HasCoords = true
		info.Lat, info.Lon = *c.Location.Latitude, *c.Location.Longitude
		info.AccuracyKM = int(c.Location.AccuracyRadius)
	}
}

// lookupASN fills the ASN fields of info.
func lookupASN(r *geoip2.Reader, a netip.Addr, info *Info) {
	as, err := r.ASN(a)
	if err != nil || as == nil {
		return
	}
	info.ASN = as.AutonomousSystemNumber
	info.Org = as.AutonomousSystemOrganization
}

// lookupAnonymous adds the tags of an Anonymous-IP database to info.
func lookupAnonymous(r *geoip2.Reader, name string, a netip.Addr, info *Info) {
	an, err := r.AnonymousIP(a)
	if err != nil || an == nil || !an.HasData() {
		return
	}
	add := func(t Tag) { info.add(t, name) }
	if an.IsAnonymousVPN {
		add(TagVPN)
	}
	if an.IsHostingProvider {
		add(TagHosting)
	}
	if an.IsTorExitNode {
		add(TagTor)
	}
	if an.IsAnonymous || an.IsPublicProxy || an.IsResidentialProxy {
		add(TagAnonymous)
	}
}
