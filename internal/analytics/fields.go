package analytics

// Event fields the detectors read. Ingest sources set them in unmask.Event.Fields; every
// value is a string. See the package documentation for which kinds carry which keys.
const (
	// FieldDeviceManaged is "true" or "false": the sign-in device is (not) managed or
	// compliant (Entra deviceDetail.isManaged/isCompliant, Okta device context).
	FieldDeviceManaged = "device.managed"
	// FieldFactor is the MFA factor type of an mfa enrolment or a sign-in: webauthn,
	// fido2, u2f, security_key, push, totp, sms, voice, email.
	FieldFactor = "factor"
	// FieldMFADevice identifies the authenticator: an Okta Verify or Authenticator device
	// id, or a keyed hash of the phone number used for SMS or voice.
	FieldMFADevice = "mfa.device_id"
	// FieldAddressKey is a keyed hash of a normalised postal address (ship-to changes and
	// laptop shipments); equal keys mean the same address.
	FieldAddressKey = "address.key"
	// FieldBankKey is a keyed hash of a payroll bank account (payroll changes).
	FieldBankKey = "bank.key"
	// FieldBankHolderMatch is "false" when the account holder's name differs from the
	// employee's legal name.
	FieldBankHolderMatch = "bank.holder_match"
	// FieldBankCountry is the ISO 3166-1 alpha-2 country of the payroll bank account.
	FieldBankCountry = "bank.country"
	// FieldVisibility is a Google Drive visibility (people_with_link, public_on_the_web,
	// shared_externally) on file_share events.
	FieldVisibility = "visibility"
	// FieldShareExternal is "true" when a file_share event shares outside the
	// organisation.
	FieldShareExternal = "share.external"
	// FieldBytesOut is the number of bytes the person's side sent (Zeek orig_bytes, proxy
	// bytes_out) on conn, tls and http events.
	FieldBytesOut = "bytes_out"
	// FieldImage is a process image path (Sysmon/ECS Image, osquery processes.path).
	FieldImage = "Image"
	// FieldName is a program or app name (osquery programs.name, apps.name).
	FieldName = "name"
	// FieldCommitTZ is the UTC offset of a commit's author date ("+0900", "-05:00") on git
	// push events, from a commit poller or hook.
	FieldCommitTZ = "commit.tz"
	// FieldUSBVendor and FieldUSBModel are a USB device's vendor and product ids in hex
	// (osquery usb_devices vendor_id and model_id).
	FieldUSBVendor = "vendor_id"
	FieldUSBModel  = "model_id"
)

// domainFields are the fields that may hold a contacted domain, in the order read: the
// Sigma/Sysmon DNS field, Zeek dns.log query, Zeek ssl.log server_name (TLS SNI) and an
// HTTP or proxy host. The event's Target is used when none is set.
var domainFields = []string{"QueryName", "query", "server_name", "host"}

// Actions of hr_change and device_inventory events that the detectors read.
const (
	ActionShipToChange    = "ship_to.change"   // a laptop ship-to address was set or changed
	ActionLaptopShipped   = "laptop.shipped"   // a laptop left IT: Serial and the ship-to address
	ActionLaptopDelivered = "laptop.delivered" // the carrier delivered the laptop with Serial
	ActionPayrollChange   = "payroll.change"   // the direct-deposit account changed
	ActionEnroll          = "mdm.enroll"       // device_inventory: the device enrolled in MDM
	ActionGitClone        = "git.clone"        // GitHub audit git.clone (also fetch and pull)
	ActionGitPush         = "git.push"         // GitHub audit git.push
	ActionRepoFork        = "repo.fork"        // a repository was forked; Target is the new fork
)
