// Package schemacheck finds the changes between two provider schemas, in
// the JSON form of `terraform providers schema -json`, that would break a
// configuration or state written for the older one: what an unattended
// `terraform init -upgrade` must never meet in a minor release.
package schemacheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
)

// Schemas is `terraform providers schema -json`'s document.
type Schemas struct {
	FormatVersion   string                     `json:"format_version"`
	ProviderSchemas map[string]*ProviderSchema `json:"provider_schemas"`
}

// ProviderSchema is one provider's schemas.
type ProviderSchema struct {
	Provider           *Schema            `json:"provider"`
	Resources          map[string]*Schema `json:"resource_schemas"`
	DataSources        map[string]*Schema `json:"data_source_schemas"`
	ListResources      map[string]*Schema `json:"list_resource_schemas"`
	ResourceIdentities map[string]*Block  `json:"resource_identity_schemas"`
}

// Schema is a provider's, a resource's or a data source's schema.
type Schema struct {
	Block *Block `json:"block"`
}

// Block is a schema block: attributes and nested blocks. An identity
// schema has the same attributes.
type Block struct {
	Attributes map[string]*Attribute `json:"attributes"`
	BlockTypes map[string]*BlockType `json:"block_types"`
}

// Attribute is one attribute; Type is kept raw, compared as written.
type Attribute struct {
	Type              json.RawMessage `json:"type"`
	NestedType        *NestedType     `json:"nested_type"`
	Required          bool            `json:"required"`
	Optional          bool            `json:"optional"`
	Computed          bool            `json:"computed"`
	Sensitive         bool            `json:"sensitive"`
	RequiredForImport bool            `json:"required_for_import"`
}

// NestedType is a nested attribute's object.
type NestedType struct {
	Attributes  map[string]*Attribute `json:"attributes"`
	NestingMode string                `json:"nesting_mode"`
}

// BlockType is a nested block.
type BlockType struct {
	NestingMode string `json:"nesting_mode"`
	Block       *Block `json:"block"`
	MinItems    int    `json:"min_items"`
}

// Parse decodes a schema document.
func Parse(raw []byte) (*Schemas, error) {
	var s Schemas
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("not a providers schema document: %w", err)
	}
	if len(s.ProviderSchemas) == 0 {
		return nil, fmt.Errorf("the document holds no provider schema")
	}
	return &s, nil
}

// Breaking lists every change from old to cur that breaks configuration
// or state written for old, one sentence each, naming where it is; nil
// when there is none. Additions of optional things are not breaking.
func Breaking(old, cur *Schemas) []string {
	var out []string
	for _, addr := range sortedKeys(old.ProviderSchemas) {
		o, n := old.ProviderSchemas[addr], cur.ProviderSchemas[addr]
		if n == nil {
			out = append(out, fmt.Sprintf("provider %s removed", addr))
			continue
		}
		if o.Provider != nil && n.Provider != nil {
			out = append(out, compareBlock("provider", o.Provider.Block, n.Provider.Block)...)
		}
		out = append(out, compareSchemas("resource", o.Resources, n.Resources)...)
		out = append(out, compareSchemas("data source", o.DataSources, n.DataSources)...)
		out = append(out, compareSchemas("list resource", o.ListResources, n.ListResources)...)
		for _, name := range sortedKeys(o.ResourceIdentities) {
			where := "identity of resource " + name
			ni := n.ResourceIdentities[name]
			if ni == nil {
				if _, kept := n.Resources[name]; kept {
					out = append(out, where+" removed")
				}
				continue
			}
			out = append(out, compareAttributes(where, o.ResourceIdentities[name].Attributes, ni.Attributes)...)
		}
	}
	return out
}

func compareSchemas(kind string, old, cur map[string]*Schema) []string {
	var out []string
	for _, name := range sortedKeys(old) {
		n, ok := cur[name]
		if !ok {
			out = append(out, fmt.Sprintf("%s %s removed", kind, name))
			continue
		}
		if old[name].Block != nil && n.Block != nil {
			out = append(out, compareBlock(kind+" "+name, old[name].Block, n.Block)...)
		}
	}
	return out
}

func compareBlock(where string, old, cur *Block) []string {
	if old == nil {
		old = &Block{}
	}
	if cur == nil {
		cur = &Block{}
	}
	out := compareAttributes(where, old.Attributes, cur.Attributes)
	for _, name := range sortedKeys(old.BlockTypes) {
		o, n := old.BlockTypes[name], cur.BlockTypes[name]
		at := fmt.Sprintf("%s: block %q", where, name)
		switch {
		case n == nil:
			out = append(out, at+" removed")
		case o.NestingMode != n.NestingMode:
			out = append(out, fmt.Sprintf("%s changed from %s to %s nesting", at, o.NestingMode, n.NestingMode))
		default:
			if n.MinItems > o.MinItems {
				out = append(out, fmt.Sprintf("%s now needs at least %d", at, n.MinItems))
			}
			out = append(out, compareBlock(at, o.Block, n.Block)...)
		}
	}
	for _, name := range sortedKeys(cur.BlockTypes) {
		if _, had := old.BlockTypes[name]; !had && cur.BlockTypes[name].MinItems > 0 {
			out = append(out, fmt.Sprintf("%s: new required block %q", where, name))
		}
	}
	return out
}

func compareAttributes(where string, old, cur map[string]*Attribute) []string {
	var out []string
	for _, name := range sortedKeys(old) {
		o, n := old[name], cur[name]
		at := fmt.Sprintf("%s: attribute %q", where, name)
		if n == nil {
			out = append(out, at+" removed")
			continue
		}
		switch {
		case !bytes.Equal(compact(o.Type), compact(n.Type)):
			out = append(out, fmt.Sprintf("%s changed type from %s to %s", at, compact(o.Type), compact(n.Type)))
		case (o.NestedType == nil) != (n.NestedType == nil):
			out = append(out, at+" changed between a plain and a nested attribute")
		case o.NestedType != nil && o.NestedType.NestingMode != n.NestedType.NestingMode:
			out = append(out, fmt.Sprintf("%s changed from %s to %s nesting", at, o.NestedType.NestingMode, n.NestedType.NestingMode))
		case o.NestedType != nil:
			out = append(out, compareAttributes(at, o.NestedType.Attributes, n.NestedType.Attributes)...)
		}
		if !o.Required && n.Required {
			out = append(out, at+" became required")
		}
		if o.Computed && !n.Computed {
			out = append(out, at+" is no longer computed")
		}
		if o.Sensitive && !n.Sensitive {
			out = append(out, at+" is no longer sensitive")
		}
		if !o.RequiredForImport && n.RequiredForImport {
			out = append(out, at+" became required for import")
		}
	}
	for _, name := range sortedKeys(cur) {
		if _, had := old[name]; !had && (cur[name].Required || cur[name].RequiredForImport) {
			out = append(out, fmt.Sprintf("%s: new required attribute %q", where, name))
		}
	}
	return out
}

func compact(raw json.RawMessage) []byte {
	var b bytes.Buffer
	if len(raw) == 0 || json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return slices.Clip(keys)
}

// AllowedByChangelog reports whether the CHANGELOG's unreleased section
// (the first "## ... (Unreleased)" heading, up to the next "## ") declares
// its breaking changes under a "BREAKING CHANGES:" heading.
func AllowedByChangelog(changelog []byte) bool {
	inUnreleased := false
	for _, line := range bytes.Split(changelog, []byte("\n")) {
		line = bytes.TrimSpace(line)
		switch {
		case bytes.HasPrefix(line, []byte("## ")):
			if inUnreleased {
				return false
			}
			inUnreleased = bytes.Contains(line, []byte("(Unreleased)"))
		case inUnreleased && bytes.Equal(line, []byte("BREAKING CHANGES:")):
			return true
		}
	}
	return false
}
