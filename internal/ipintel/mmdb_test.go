package ipintel

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// MustWriteMMDB writes a MaxMind database of dbType with the given records (network →
// value) to a file in dir and returns its path.
func MustWriteMMDB(tb testing.TB, dir, dbType string, records map[string]mmdbtype.Map) string {
	tb.Helper()
	w, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType: dbType, Description: map[string]string{"en": "Unmask test " + dbType},
		IncludeReservedNetworks: true, RecordSize: 28,
	})
	if err != nil {
		tb.Fatal(err)
	}
	for network, value := range records {
		_, n, err := net.ParseCIDR(network)
		if err != nil {
			tb.Fatal(err)
		}
		if err := w.Insert(n, value); err != nil {
			tb.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, dbType+".mmdb")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func cityValue(country, city string, lat, lon float64, radius uint16) mmdbtype.Map {
	return mmdbtype.Map{
		"country": mmdbtype.Map{"iso_code": mmdbtype.String(country)},
		"city":    mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(city)}},
		"location": mmdbtype.Map{
			"latitude":        mmdbtype.Float64(lat),
			"longitude":       mmdbtype.Float64(lon),
			"accuracy_radius": mmdbtype.Uint16(radius),
			"time_zone":       mmdbtype.String("Etc/UTC"),
		},
	}
}

func asnValue(asn uint32, org string) mmdbtype.Map {
	return mmdbtype.Map{
		"autonomous_system_number":       mmdbtype.Uint32(asn),
		"autonomous_system_organization": mmdbtype.String(org),
	}
}

// MustTestDatabases writes synthetic City, ASN and Anonymous-IP databases into dir and
// returns their paths.
func MustTestDatabases(tb testing.TB, dir string) (city, asn, anon string) {
	tb.Helper()
	city = MustWriteMMDB(tb, dir, "GeoIP2-City", map[string]mmdbtype.Map{
		"192.0.2.0/24":    cityValue("US", "Chicago", 41.88, -87.63, 20),
		"198.51.100.0/24": cityValue("KR", "Seoul", 37.57, 126.98, 50),
		"203.0.113.0/24":  cityValue("GB", "London", 51.51, -0.13, 10),
		"2001:db8::/32":   cityValue("DE", "Berlin", 52.52, 13.40, 100),
	})
	asn = MustWriteMMDB(tb, dir, "GeoLite2-ASN", map[string]mmdbtype.Map{
		"192.0.2.0/24":    asnValue(64496, "Example Residential Broadband"),
		"198.51.100.0/24": asnValue(64500, "Example Hosting"),
		"203.0.113.0/24":  asnValue(9009, "ASTRILL-VPN Ltd."),
	})
	anon = MustWriteMMDB(tb, dir, "GeoIP2-Anonymous-IP", map[string]mmdbtype.Map{
		"203.0.113.0/25": {"is_anonymous": mmdbtype.Bool(true), "is_anonymous_vpn": mmdbtype.Bool(true)},
		"203.0.113.128/26": {
			"is_anonymous": mmdbtype.Bool(true), "is_tor_exit_node": mmdbtype.Bool(true),
		},
	})
	return city, asn, anon
}
