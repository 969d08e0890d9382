package ingest

// SetBulkScan turns the framer's bulk scanning on or off and returns the previous setting.
func SetBulkScan(on bool) bool {
	old := bulkScan
	bulkScan = on
	return old
}
