package sigma

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// LoadResult is the outcome of loading a rule tree.
type LoadResult struct {
	// Rules are the documents that parsed, in walk order.
	Rules []*Rule
	// Errors holds one *ParseError per document or file that failed.
	Errors []error
	// Folders counts files, parsed documents and errors per directory.
	Folders map[string]*FolderCount
}

// FolderCount counts one directory's outcome.
type FolderCount struct {
	Files  int // rule files read
	Rules  int // documents parsed
	Errors int // documents or files that failed
}

// LoadDir parses every .yml and .yaml file under fsys. A bad file or document is
// recorded in Errors and never stops the others; the error return is only for a tree
// that cannot be walked at all.
func LoadDir(fsys fs.FS, opts ParseOptions) (*LoadResult, error) {
	res := &LoadResult{Folders: map[string]*FolderCount{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			res.Errors = append(res.Errors, &ParseError{Path: p, Err: err})
			return nil
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			return nil
		}
		res.loadFile(fsys, p, opts)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	return res, nil
}

func (res *LoadResult) loadFile(fsys fs.FS, p string, opts ParseOptions) {
	dir := path.Dir(p)
	fc := res.Folders[dir]
	if fc == nil {
		fc = &FolderCount{}
		res.Folders[dir] = fc
	}
	fc.Files++
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		res.Errors = append(res.Errors, &ParseError{Path: p, Err: err})
		fc.Errors++
		return
	}
	rules, errs := ParseFile(p, data, opts)
	res.Rules = append(res.Rules, rules...)
	res.Errors = append(res.Errors, errs...)
	fc.Rules += len(rules)
	fc.Errors += len(errs)
}
