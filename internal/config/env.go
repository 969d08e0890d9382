package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// EnvPrefix starts every environment override: UNMASK_SERVER_ADDR sets server.addr.
const EnvPrefix = "UNMASK_"

// EnvVars lists every override variable with the key it sets, in file order.
func EnvVars() [][2]string {
	var out [][2]string
	walk(reflect.ValueOf(Default()).Elem(), nil, func(path []string, _ reflect.Value) {
		out = append(out, [2]string{envName(path), strings.Join(path, ".")})
	})
	return out
}

func envName(path []string) string {
	return EnvPrefix + strings.ToUpper(strings.Join(path, "_"))
}

// applyEnv sets fields from UNMASK_* variables.
func applyEnv(c *Config, getenv func(string) string) error {
	if getenv == nil {
		return nil
	}
	var err error
	walk(reflect.ValueOf(c).Elem(), nil, func(path []string, v reflect.Value) {
		name := envName(path)
		s := getenv(name)
		if s == "" || err != nil {
			return
		}
		if e := setFromString(v, s); e != nil {
			err = fmt.Errorf("environment %s: %w", name, e)
		}
	})
	return err
}

// walk calls fn for every leaf field with its YAML key path.
func walk(v reflect.Value, path []string, fn func([]string, reflect.Value)) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		key := strings.Split(f.Tag.Get("yaml"), ",")[0]
		inline := strings.Contains(f.Tag.Get("yaml"), ",inline")
		if !f.IsExported() || (key == "" && !inline) || key == "-" {
			continue
		}
		p := append(append([]string(nil), path...), key)
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[Duration]() {
			if strings.Contains(f.Tag.Get("yaml"), ",inline") {
				p = path
			}
			walk(v.Field(i), p, fn)
			continue
		}
		if fromString(f.Type) {
			fn(p, v.Field(i))
		}
	}
}

// fromString reports whether a field of type t can be set from one environment variable:
// lists of records and maps (feeds, destinations, role maps) live in the file only.
func fromString(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Map, reflect.Struct:
		return t == reflect.TypeFor[Duration]()
	case reflect.Slice:
		return t.Elem().Kind() == reflect.String
	}
	return true
}

func setFromString(v reflect.Value, s string) error {
	if v.Type() == reflect.TypeFor[Duration]() {
		d, err := ParseDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("want an integer, got %q", s)
		}
		v.SetInt(n)
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("unsupported type %s", v.Type())
		}
		v.Set(reflect.ValueOf(strings.Split(s, ",")))
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", s)
		}
		v.SetBool(b)
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}
