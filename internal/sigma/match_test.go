package sigma

import (
	"encoding/base64"
	"strings"
	"testing"
)

// TestModifiers checks every value modifier, wildcard and special value on events.
func TestModifiers(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString
	tests := []struct {
		name      string
		detection string
		event     Map
		want      bool
	}{
		{"exact_case_insensitive", "  sel:\n    Image: 'C:\\Windows\\System32\\CMD.exe'", Map{"Image": `c:\windows\system32\cmd.EXE`}, true},
		{"exact_differs", "  sel:\n    Image: 'cmd.exe'", Map{"Image": `xcmd.exe`}, false},
		{"missing_field", "  sel:\n    Image: 'cmd.exe'", Map{"Other": `cmd.exe`}, false},
		{"contains", "  sel:\n    CommandLine|contains: ' -EncodedCommand '", Map{"CommandLine": `powershell -encodedcommand AAA`}, true},
		{"contains_absent", "  sel:\n    CommandLine|contains: ' -enc '", Map{"CommandLine": `powershell -e AAA`}, false},
		{"startswith", "  sel:\n    CommandLine|startswith: 'net '", Map{"CommandLine": `NET user`}, true},
		{"startswith_not_prefix", "  sel:\n    CommandLine|startswith: 'net '", Map{"CommandLine": `xnet user`}, false},
		{"endswith", "  sel:\n    Image|endswith: '\\rundll32.exe'", Map{"Image": `C:\Windows\System32\RUNDLL32.EXE`}, true},
		{"endswith_not_suffix", "  sel:\n    Image|endswith: '\\rundll32.exe'", Map{"Image": `C:\rundll32.exe.bak`}, false},
		{"list_is_or", "  sel:\n    Image|endswith:\n      - '\\a.exe'\n      - '\\b.exe'", Map{"Image": `C:\b.exe`}, true},
		{"contains_all_true", "  sel:\n    CommandLine|contains|all:\n      - 'vssadmin'\n      - 'delete'", Map{"CommandLine": `vssadmin.exe Delete Shadows`}, true},
		{"contains_all_false", "  sel:\n    CommandLine|contains|all:\n      - 'vssadmin'\n      - 'delete'", Map{"CommandLine": `vssadmin.exe list shadows`}, false},
		{"map_is_and", "  sel:\n    Image|endswith: '\\net.exe'\n    CommandLine|contains: 'user'", Map{"Image": `C:\net.exe`, "CommandLine": `net group`}, false},
		{"list_of_maps_is_or", "  sel:\n    - Image|endswith: '\\a.exe'\n    - CommandLine|contains: 'zzz'", Map{"Image": `C:\x.exe`, "CommandLine": `zzz`}, true},
		{"wildcard_star", "  sel:\n    Image: 'C:*\\cmd.exe'", Map{"Image": `C:\Windows\System32\cmd.exe`}, true},
		{"backslash_star_is_literal", "  sel:\n    Image: 'C:\\*\\cmd.exe'", Map{"Image": `C:\Windows\cmd.exe`}, false},
		{"wildcard_question", "  sel:\n    Image: 'prog?.exe'", Map{"Image": `progA.exe`}, true},
		{"wildcard_question_one_char", "  sel:\n    Image: 'prog?.exe'", Map{"Image": `progAB.exe`}, false},
		{"wildcard_question_one_rune", "  sel:\n    Image: 'prog?.exe'", Map{"Image": `progé.exe`}, true},
		{"escaped_star_literal", "  sel:\n    CommandLine: 'a\\*b'", Map{"CommandLine": `a*b`}, true},
		{"escaped_star_not_wildcard", "  sel:\n    CommandLine: 'a\\*b'", Map{"CommandLine": `axxb`}, false},
		{"escaped_question_literal", "  sel:\n    CommandLine: 'what\\?'", Map{"CommandLine": `what?`}, true},
		{"escaped_backslash_then_wildcard", "  sel:\n    CommandLine: 'dir\\\\*'", Map{"CommandLine": `dir\anything`}, true},
		{"three_backslashes_literal_star", "  sel:\n    CommandLine: 'dir\\\\\\*'", Map{"CommandLine": `dir\*`}, true},
		{"three_backslashes_not_wildcard", "  sel:\n    CommandLine: 'dir\\\\\\*'", Map{"CommandLine": `dir\x`}, false},
		{"plain_backslash_kept", "  sel:\n    Image: 'C:\\Temp\\x.exe'", Map{"Image": `C:\Temp\x.exe`}, true},
		{"unicode_case_fold", "  sel:\n    User|contains: 'ÄDMIN'", Map{"User": `corp\ädmin`}, true},
		{"empty_value", "  sel:\n    CommandLine: ''", Map{"CommandLine": ``}, true},
		{"empty_value_not_missing", "  sel:\n    CommandLine: ''", Map{}, false},
		{"null_missing", "  sel:\n    Image: x\n    ParentImage: null", Map{"Image": "x"}, true},
		{"null_present", "  sel:\n    Image: x\n    ParentImage: null", Map{"Image": "x", "ParentImage": "y"}, false},
		{"number_value", "  sel:\n    EventID: 4688", Map{"EventID": "4688"}, true},
		{"hex_value_text", "  sel:\n    Status: 0x17", Map{"Status": "0x17"}, true},
		{"cased_match", "  sel:\n    CommandLine|contains|cased: 'CreateObject'", Map{"CommandLine": `x CreateObject y`}, true},
		{"cased_mismatch", "  sel:\n    CommandLine|contains|cased: 'CreateObject'", Map{"CommandLine": `x createobject y`}, false},
		{"re_case_sensitive", "  sel:\n    CommandLine|re: 'Invoke-[A-Z]'", Map{"CommandLine": `invoke-mimikatz`}, false},
		{"re_match", "  sel:\n    CommandLine|re: 'Invoke-[A-Z]'", Map{"CommandLine": `x Invoke-Mimikatz`}, true},
		{"re_i", "  sel:\n    CommandLine|re|i: 'invoke-[a-z]+'", Map{"CommandLine": `INVOKE-MIMIKATZ`}, true},
		{"re_m", "  sel:\n    CommandLine|re|m: '^second$'", Map{"CommandLine": "first\nsecond\nthird"}, true},
		{"re_without_m", "  sel:\n    CommandLine|re: '^second$'", Map{"CommandLine": "first\nsecond\nthird"}, false},
		{"re_s", "  sel:\n    CommandLine|re|s: 'a.b'", Map{"CommandLine": "a\nb"}, true},
		{"re_without_s", "  sel:\n    CommandLine|re: 'a.b'", Map{"CommandLine": "a\nb"}, false},
		{"base64", "  sel:\n    Data|base64: 'hello'", Map{"Data": b64([]byte("hello"))}, true},
		{"base64_contains", "  sel:\n    Data|base64|contains: 'evil'", Map{"Data": "xx" + b64([]byte("evil")) + "yy"}, true},
		{"base64offset_0", "  sel:\n    Data|base64offset|contains: 'http://'", Map{"Data": b64([]byte("http://x.example"))}, true},
		{"base64offset_1", "  sel:\n    Data|base64offset|contains: 'http://'", Map{"Data": b64([]byte("Xhttp://x.example"))}, true},
		{"base64offset_2", "  sel:\n    Data|base64offset|contains: 'http://'", Map{"Data": b64([]byte("XYhttp://x.example"))}, true},
		{"base64offset_absent", "  sel:\n    Data|base64offset|contains: 'http://'", Map{"Data": b64([]byte("ftp://x.example"))}, false},
		{"utf16le_base64", "  sel:\n    Data|utf16le|base64offset|contains: 'cmd'", Map{"Data": b64([]byte("c\x00m\x00d\x00"))}, true},
		{"wide_alias", "  sel:\n    Data|wide|base64offset|contains: 'cmd'", Map{"Data": b64([]byte("c\x00m\x00d\x00"))}, true},
		{"utf16be", "  sel:\n    Data|utf16be|base64: 'ab'", Map{"Data": b64([]byte("\x00a\x00b"))}, true},
		{"utf16_bom", "  sel:\n    Data|utf16|base64: 'ab'", Map{"Data": b64([]byte("\xff\xfea\x00b\x00"))}, true},
		{"windash_slash", "  sel:\n    CommandLine|windash|contains: ' -exec '", Map{"CommandLine": `psexec /exec x`}, true},
		{"windash_en_dash", "  sel:\n    CommandLine|windash|contains: ' -exec '", Map{"CommandLine": "psexec \u2013exec x"}, true},
		{"windash_horizontal_bar", "  sel:\n    CommandLine|windash|contains: ' -exec '", Map{"CommandLine": "psexec \u2015exec x"}, true},
		{"windash_other", "  sel:\n    CommandLine|windash|contains: ' -exec '", Map{"CommandLine": `psexec +exec x`}, false},
		{"windash_all", "  sel:\n    CommandLine|windash|contains|all:\n      - ' -a '\n      - ' -b '", Map{"CommandLine": `x /a /b `}, true},
		{"windash_all_one_missing", "  sel:\n    CommandLine|windash|contains|all:\n      - ' -a '\n      - ' -b '", Map{"CommandLine": `x /a /c `}, false},
		{"cidr_v4", "  sel:\n    DestinationIp|cidr: '10.0.0.0/8'", Map{"DestinationIp": "10.1.2.3"}, true},
		{"cidr_v4_outside", "  sel:\n    DestinationIp|cidr: '10.0.0.0/8'", Map{"DestinationIp": "11.1.2.3"}, false},
		{"cidr_v6", "  sel:\n    DestinationIp|cidr: 'fe80::/10'", Map{"DestinationIp": "fe80::1"}, true},
		{"cidr_not_ip", "  sel:\n    DestinationIp|cidr: '10.0.0.0/8'", Map{"DestinationIp": "host"}, false},
		{"exists_true", "  sel:\n    Image|exists: true", Map{"Image": ""}, true},
		{"exists_true_missing", "  sel:\n    Image|exists: true", Map{}, false},
		{"exists_false", "  sel:\n    Image|exists: false", Map{"Other": "x"}, true},
		{"fieldref_equal", "  sel:\n    User|fieldref: ParentUser", Map{"User": "CORP\\A", "ParentUser": "corp\\a"}, true},
		{"fieldref_differs", "  sel:\n    User|fieldref: ParentUser", Map{"User": "a", "ParentUser": "b"}, false},
		{"fieldref_missing", "  sel:\n    User|fieldref: ParentUser", Map{"User": "a"}, false},
		{"fieldref_endswith", "  sel:\n    Image|fieldref|endswith: Name", Map{"Image": `C:\x\evil.exe`, "Name": "EVIL.exe"}, true},
		{"fieldref_neq", "  sel:\n    User|fieldref|neq: ParentUser", Map{"User": "a", "ParentUser": "b"}, true},
		{"gt", "  sel:\n    Count|gt: 10", Map{"Count": "11"}, true},
		{"gt_equal", "  sel:\n    Count|gt: 10", Map{"Count": "10"}, false},
		{"gte", "  sel:\n    Count|gte: 10", Map{"Count": "10"}, true},
		{"lt", "  sel:\n    Count|lt: 10", Map{"Count": "9.5"}, true},
		{"lte", "  sel:\n    Count|lte: 10", Map{"Count": "10"}, true},
		{"lt_not_number", "  sel:\n    Count|lt: 10", Map{"Count": "many"}, false},
		{"neq", "  sel:\n    Image: x\n    User|neq: SYSTEM", Map{"Image": "x", "User": "alice"}, true},
		{"neq_equal", "  sel:\n    Image: x\n    User|neq: SYSTEM", Map{"Image": "x", "User": "system"}, false},
		{"neq_list", "  sel:\n    Image: x\n    User|neq:\n      - a\n      - b", Map{"Image": "x", "User": "b"}, false},
		{"expand", "  sel:\n    User|expand: '%Admins%'", Map{"User": "adm_bob"}, true},
		{"expand_other", "  sel:\n    User|expand: '%Admins%'", Map{"User": "bob"}, false},
		{"expand_escaped_percent", "  sel:\n    User|expand: '\\%Admins%'", Map{"User": "%Admins%"}, true},
		{"no_expand_literal", "  sel:\n    User: '%Admins%'", Map{"User": "%admins%"}, true},
		{"hour", "  sel:\n    UtcTime|hour: 3", Map{"UtcTime": "2026-11-02 03:04:05.123"}, true},
		{"hour_gte", "  sel:\n    UtcTime|hour|gte: 22", Map{"UtcTime": "2026-11-02T23:04:05Z"}, true},
		{"month", "  sel:\n    UtcTime|month: 11", Map{"UtcTime": "2026-11-02"}, true},
		{"keyword", "  keywords:\n    - 'mimikatz'\n    - 'sekurlsa'", Map{"A": "x", "B": "run SEKURLSA::logonpasswords"}, true},
		{"keyword_absent", "  keywords:\n    - 'mimikatz'", Map{"A": "x"}, false},
		{"keyword_all", "  keywords:\n    '|all':\n      - 'OabVirtualDirectory'\n      - ' -ExternalUrl '", Map{"A": "Set-OabVirtualDirectory", "B": "x -ExternalUrl y"}, true},
		{"keyword_all_missing", "  keywords:\n    '|all':\n      - 'OabVirtualDirectory'\n      - ' -ExternalUrl '", Map{"A": "Set-OabVirtualDirectory"}, false},
		{"keyword_wildcard", "  keywords:\n    - 'evil*.exe'", Map{"A": "evilgrade.exe"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cond := "sel"
			if strings.HasPrefix(tt.name, "keyword") {
				cond = "keywords"
			}
			e := MustEngine(t, nil, detectionRule("r1", tt.detection+"\n  condition: "+cond))
			got := len(MustMatch(t, e, tt.event)) == 1
			if got != tt.want {
				t.Errorf("match = %v, want %v", got, tt.want)
			}
		})
	}
}
