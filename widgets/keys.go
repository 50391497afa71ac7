package widgets

import "charm.land/bubbles/v2/key"

// JoinKeys is several bindings shown as one help entry ("←→ adjust"). It
// answers to the keys of them all, so that what help shows and what
// works cannot drift apart; it is enabled while any of them is.
func JoinKeys(keys, desc string, bs ...key.Binding) key.Binding {
	var all []string
	on := false
	for _, b := range bs {
		all = append(all, b.Keys()...)
		on = on || b.Enabled()
	}
	j := key.NewBinding(key.WithKeys(all...), key.WithHelp(keys, desc))
	j.SetEnabled(on)
	return j
}

// Relabel is a binding with other help text, such as a shorter one for a
// footer; its keys are unchanged.
func Relabel(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}
