package httpapi

import (
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var pathParam = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// openAPI serves the OpenAPI 3.1 document built from the route table.
func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.OpenAPIDocument())
}

// OpenAPIDocument describes every route of the table.
func (a *API) OpenAPIDocument() map[string]any {
	paths := map[string]map[string]any{}
	errorSchema := schemaOf(reflect.TypeOf(ErrorBody{}))
	for _, rt := range a.routes {
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": operationID(rt),
			"tags":        []string{rt.Tag},
		}
		var params []map[string]any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range rt.Query {
			params = append(params, map[string]any{"name": q, "in": "query", "required": false, "schema": map[string]any{"type": "string"}})
		}
		for _, h := range rt.Headers {
			params = append(params, map[string]any{"name": h, "in": "header", "required": false, "schema": map[string]any{"type": "string"}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		switch b := rt.Body.(type) {
		case nil:
		case multipartBody:
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{
				"schema": map[string]any{"type": "object", "required": []string{b.Field},
					"properties": map[string]any{b.Field: map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}}}}}}
		default:
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(b))}}}
		}
		success := map[string]any{"description": http.StatusText(rt.Status)}
		if rt.Resp != nil {
			success["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(rt.Resp))}}
		}
		op["responses"] = map[string]any{
			strconv.Itoa(rt.Status): success,
			"default":               map[string]any{"description": "An error", "content": map[string]any{"application/json": map[string]any{"schema": errorSchema}}},
		}
		switch rt.Auth {
		case authUser:
			op["security"] = []map[string][]string{{"session": {}}, {"bearer": {}}}
		case authProvider:
			op["security"] = []map[string][]string{}
		}
		oaPath := strings.TrimPrefix(rt.Path, "/api/v1")
		if paths[oaPath] == nil {
			paths[oaPath] = map[string]any{}
		}
		paths[oaPath][strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "liveshop API", "version": "1",
			"description": "Live commerce: shops, catalog, orders, payments. Errors are {\"error\":{\"code\",\"message\",\"field\"}}; money is integer minor units."},
		"servers": []map[string]any{{"url": "/api/v1"}},
		"paths":   paths,
		"components": map[string]any{"securitySchemes": map[string]any{
			"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie,
				"description": "Browser session; unsafe methods also need the X-CSRF-Token header."},
			"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "API token from POST /me/tokens."},
		}},
	}
}

func operationID(rt route) string {
	p := strings.TrimPrefix(rt.Path, "/api/v1/")
	p = pathParam.ReplaceAllString(p, "by-$1")
	return strings.ToLower(rt.Method) + "-" + strings.ReplaceAll(p, "/", "-")
}

var timeType = reflect.TypeOf(time.Time{})

// schemaOf describes a Go type as JSON Schema, following its json tags.
func schemaOf(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		s := schemaOf(t.Elem())
		return map[string]any{"oneOf": []any{s, map[string]any{"type": "null"}}}
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.Struct:
		props := map[string]any{}
		var required []string
		addFields(t, props, &required)
		s := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			s["required"] = required
		}
		return s
	}
	return map[string]any{}
}

func addFields(t reflect.Type, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			addFields(f.Type, props, required)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = schemaOf(f.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") && f.Type.Kind() != reflect.Pointer {
			*required = append(*required, name)
		}
	}
}
