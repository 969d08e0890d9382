// Package analytics holds the behavioural detectors that Sigma rules cannot express:
// sign-in egress and geography, laptop farms, session replay, working-hours time-zone
// inference, code and file exfiltration, and the HR and onboarding checks of THREAT.md
// §2 and §4. Each detector is a small type with bounded state per person, driven only by
// event times and an injected clock, so results are deterministic.
//
// An Engine runs the detectors. Callers give it each person's HR context with
// SetProfile, feed it resolved events (PersonID set) with Process, and call Sweep
// periodically for checks that fire when something does not happen. It returns
// unmask.Signals carrying the indicator ID, the supporting event ids, a dedupe Key and
// one explanatory sentence. Suppressions (approved remote-management tools for the IT
// team, the corporate VPN, documented shared accounts) are data matched by person,
// group, indicator and value.
//
// Detectors never use ethnicity, nationality, name origin or accent: they compare what a
// person claims (home address, time zone, assigned laptop) with what their accounts and
// devices do.
//
// # Events read
//
// Every detector reads Event.Time, Kind, Action, Outcome (failures are ignored), PersonID
// and ID. Beyond those:
//
//   - sign_in: SourceIP (looked up with Options.Lookup), Geo (used when IP intelligence
//     has no coordinates; Geo.ASN and ASOrg when it has no ASN), UserAgent, SessionID,
//     DeviceID, Target (the application), Fields["device.managed"] ("true"/"false"),
//     Fields["factor"] and Fields["mfa.device_id"]. Egress, Devices, LaptopFarm,
//     HomeDistance, ImpossibleTravel, SessionReplay, WorkHours and MFA use them.
//   - mfa: Fields["factor"] (webauthn, fido2, u2f, security_key, push, totp, sms, ...)
//     and Fields["mfa.device_id"] (MFA).
//   - device_inventory (MDM check-in or enrolment, Action "mdm.enroll" for an
//     enrolment): Serial, DeviceID, SourceIP (Devices, LaptopFarm, Serials, Delivery).
//   - hr_change with Action "ship_to.change" or "laptop.shipped" (Fields["address.key"],
//     a keyed hash of the normalised address; Serial on shipments), "laptop.delivered"
//     (Serial, and Fields["address.key"] of the delivery) and "payroll.change"
//     (Fields["bank.key"], Fields["bank.holder_match"], Fields["bank.country"])
//     (Shipping, Serials, Payroll, Delivery).
//   - git with Action "git.clone", "git.push" or "repo.fork" and Target "owner/repo"
//     (Git), and Fields["commit.tz"], a commit's author-date offset such as "+0900"
//     (WorkHours).
//   - file_share: Target, Fields["visibility"], Fields["share.external"] (Cloud).
//   - dns, tls, http, conn: the domain in Fields["QueryName"], ["query"],
//     ["server_name"] or ["host"], else Target, and Fields["bytes_out"] (Cloud, Delivery).
//   - process_start and software_inventory: Fields["Image"] or Fields["name"]; usb_device:
//     Fields["vendor_id"] and Fields["model_id"] in hex (Delivery).
//   - sign_in, mfa, git, file_share and admin events also feed WorkHours.
//
// The Field* and Action* constants name these keys.
//
// # Scale
//
// The Engine serialises calls with one mutex because LaptopFarm, Shipping, Payroll and
// MFA correlate across people. Per-person detector state is a few hundred bytes to a
// few KB; BenchmarkEngine measures it.
package analytics
