package repo

// What template neutralization leaves in the text, for the loader and the
// rules (nginxcheck/load re-exports them): a placeholder is a template
// expression whose every character became PlaceholderRune; a condition
// marker is a directive where a template condition or loop opens,
// branches or closes at statement level. They live here, below the
// config halves, because the neutralizer writes them.
const (
	PlaceholderRune = '¤'
	MarkOpen        = "¤if"
	MarkElse        = "¤else"
	MarkEnd         = "¤end"
)
