package postal

// suffixes maps street suffixes to their USPS abbreviations (Publication 28, appendix C1;
// the common ones).
var suffixes = map[string]string{
	"ALLEY": "ALY", "ALLY": "ALY", "ANNEX": "ANX", "ARCADE": "ARC", "AVENUE": "AVE", "AV": "AVE",
	"AVEN": "AVE", "AVENU": "AVE", "AVN": "AVE", "AVNUE": "AVE", "BAYOU": "BYU", "BEACH": "BCH",
	"BEND": "BND", "BLUFF": "BLF", "BOTTOM": "BTM", "BOULEVARD": "BLVD", "BOUL": "BLVD",
	"BOULV": "BLVD", "BRANCH": "BR", "BRIDGE": "BRG", "BROOK": "BRK", "BYPASS": "BYP",
	"CAMP": "CP", "CANYON": "CYN", "CAPE": "CPE", "CAUSEWAY": "CSWY", "CENTER": "CTR",
	"CENTRE": "CTR", "CIRCLE": "CIR", "CIRC": "CIR", "CLIFF": "CLF", "CLUB": "CLB",
	"COMMON": "CMN", "CORNER": "COR", "COURSE": "CRSE", "COURT": "CT", "COVE": "CV",
	"CREEK": "CRK", "CRESCENT": "CRES", "CROSSING": "XING", "DALE": "DL", "DAM": "DM",
	"DIVIDE": "DV", "DRIVE": "DR", "DRIV": "DR", "DRV": "DR", "ESTATE": "EST", "ESTATES": "ESTS",
	"EXPRESSWAY": "EXPY", "EXTENSION": "EXT", "FALLS": "FLS", "FERRY": "FRY", "FIELD": "FLD",
	"FIELDS": "FLDS", "FLAT": "FLT", "FORD": "FRD", "FOREST": "FRST", "FORGE": "FRG", "FORK": "FRK",
	"FORT": "FT", "FREEWAY": "FWY", "GARDEN": "GDN", "GARDENS": "GDNS", "GATEWAY": "GTWY",
	"GLEN": "GLN", "GREEN": "GRN", "GROVE": "GRV", "HARBOR": "HBR", "HAVEN": "HVN",
	"HEIGHTS": "HTS", "HIGHWAY": "HWY", "HILL": "HL", "HILLS": "HLS", "HOLLOW": "HOLW",
	"ISLAND": "IS", "JUNCTION": "JCT", "KEY": "KY", "KNOLL": "KNL", "LAKE": "LK", "LAKES": "LKS",
	"LANDING": "LNDG", "LANE": "LN", "LIGHT": "LGT", "LOOP": "LOOP", "MALL": "MALL",
	"MANOR": "MNR", "MEADOW": "MDW", "MEADOWS": "MDWS", "MILL": "ML", "MISSION": "MSN",
	"MOUNT": "MT", "MOUNTAIN": "MTN", "ORCHARD": "ORCH", "OVAL": "OVAL", "PARK": "PARK",
	"PARKWAY": "PKWY", "PKY": "PKWY", "PASS": "PASS", "PATH": "PATH", "PIKE": "PIKE",
	"PINES": "PNES", "PLACE": "PL", "PLAIN": "PLN", "PLAINS": "PLNS", "PLAZA": "PLZ",
	"POINT": "PT", "PORT": "PRT", "PRAIRIE": "PR", "RANCH": "RNCH", "RIDGE": "RDG",
	"RIVER": "RIV", "ROAD": "RD", "ROUTE": "RTE", "ROW": "ROW", "RUN": "RUN", "SHORE": "SHR",
	"SHORES": "SHRS", "SPRING": "SPG", "SPRINGS": "SPGS", "SQUARE": "SQ", "STATION": "STA",
	"STREET": "ST", "STR": "ST", "STRT": "ST", "SUMMIT": "SMT", "TERRACE": "TER", "TRACE": "TRCE",
	"TRAIL": "TRL", "TURNPIKE": "TPKE", "UNION": "UN", "VALLEY": "VLY", "VIEW": "VW",
	"VILLAGE": "VLG", "VILLE": "VL", "VISTA": "VIS", "WALK": "WALK", "WAY": "WAY", "WELL": "WL",
	"WELLS": "WLS",
}

// directionals maps directional words to their abbreviations.
var directionals = map[string]string{
	"NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W",
	"NORTHEAST": "NE", "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
	"N": "N", "S": "S", "E": "E", "W": "W", "NE": "NE", "NW": "NW", "SE": "SE", "SW": "SW",
}

// units maps secondary-unit designators (Publication 28, appendix C2) to their abbreviations.
var units = map[string]string{
	"APARTMENT": "APT", "APT": "APT", "BASEMENT": "BSMT", "BSMT": "BSMT", "BUILDING": "BLDG",
	"BLDG": "BLDG", "DEPARTMENT": "DEPT", "DEPT": "DEPT", "FLOOR": "FL", "FL": "FL",
	"FRONT": "FRNT", "HANGAR": "HNGR", "LOBBY": "LBBY", "LOT": "LOT",
	"LOWER": "LOWR", "OFFICE": "OFC", "OFC": "OFC", "PENTHOUSE": "PH", "PH": "PH", "PIER": "PIER",
	"REAR": "REAR", "ROOM": "RM", "RM": "RM", "SIDE": "SIDE", "SLIP": "SLIP", "SPACE": "SPC",
	"SPC": "SPC", "STOP": "STOP", "SUITE": "STE", "STE": "STE", "TRAILER": "TRLR", "TRLR": "TRLR",
	"UNIT": "UNIT", "UPPER": "UPPR", "FLAT": "FLAT", "#": "#",
}

// bareUnits are designators that take no unit number.
var bareUnits = map[string]bool{"BSMT": true, "FRNT": true, "LBBY": true, "LOWR": true, "REAR": true, "SIDE": true, "UPPR": true}

// countries maps common country names and codes to ISO 3166-1 alpha-2.
var countries = map[string]string{
	"US": "US", "USA": "US", "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US", "AMERICA": "US",
	"CA": "CA", "CAN": "CA", "CANADA": "CA", "GB": "GB", "UK": "GB", "UNITED KINGDOM": "GB",
	"GREAT BRITAIN": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB", "DE": "DE",
	"GERMANY": "DE", "DEUTSCHLAND": "DE", "FR": "FR", "FRANCE": "FR", "NL": "NL",
	"NETHERLANDS": "NL", "IE": "IE", "IRELAND": "IE", "ES": "ES", "SPAIN": "ES", "IT": "IT",
	"ITALY": "IT", "PL": "PL", "POLAND": "PL", "UA": "UA", "UKRAINE": "UA", "RU": "RU",
	"RUSSIA": "RU", "CN": "CN", "CHINA": "CN", "JP": "JP", "JAPAN": "JP", "KR": "KR",
	"SOUTH KOREA": "KR", "KOREA": "KR", "IN": "IN", "INDIA": "IN", "PH": "PH", "PHILIPPINES": "PH",
	"VN": "VN", "VIETNAM": "VN", "AU": "AU", "AUSTRALIA": "AU", "NZ": "NZ", "NEW ZEALAND": "NZ",
	"MX": "MX", "MEXICO": "MX", "BR": "BR", "BRAZIL": "BR", "AE": "AE", "UNITED ARAB EMIRATES": "AE",
	"SG": "SG", "SINGAPORE": "SG", "LA": "LA", "LAOS": "LA", "KH": "KH", "CAMBODIA": "KH",
	"NG": "NG", "NIGERIA": "NG", "PK": "PK", "PAKISTAN": "PK", "SE": "SE", "SWEDEN": "SE",
	"CH": "CH", "SWITZERLAND": "CH", "PT": "PT", "PORTUGAL": "PT", "RO": "RO", "ROMANIA": "RO",
}

// usStates maps US state and territory names to their postal codes.
var usStates = map[string]string{
	"ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
	"COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
	"FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
	"INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
	"MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
	"MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV",
	"NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY",
	"NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR",
	"PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
	"TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA",
	"WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
	"PUERTO RICO": "PR", "GUAM": "GU",
}
