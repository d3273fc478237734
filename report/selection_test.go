package report

import "testing"

func TestSelectionOffByDefault(t *testing.T) {
	rules := Rules{{Name: "a"}, {Name: "b"}, {Name: "opt", Off: true}}
	for _, c := range []struct {
		name             string
		enable, disable  []string
		wantA, wantB, wo bool
	}{
		{"defaults", nil, nil, true, true, false},
		{"naming only an off rule adds it to the defaults", []string{"opt"}, nil, true, true, true},
		{"naming a default rule runs exactly the list", []string{"a"}, nil, true, false, false},
		{"exact list with the off rule", []string{"a", "opt"}, nil, true, false, true},
		{"disable wins", []string{"opt"}, []string{"opt", "b"}, true, false, false},
	} {
		s, err := NewSelection(rules, c.enable, c.disable)
		if err != nil {
			t.Fatal(err)
		}
		if got := [3]bool{s.Enabled("a"), s.Enabled("b"), s.Enabled("opt")}; got != [3]bool{c.wantA, c.wantB, c.wo} {
			t.Errorf("%s: enabled a, b, opt = %v, want %v", c.name, got, [3]bool{c.wantA, c.wantB, c.wo})
		}
	}
	if _, err := NewSelection(rules, []string{"nope"}, nil); err == nil {
		t.Error("an unknown rule was accepted")
	}
}
