"""Characters that readers cannot see: text fields refuse them, messages show them as escapes."""

INVISIBLE = "\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0" \
    "\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff"
"""Characters that are not seen where they stand, as a character class: zero-width spaces and joiners,
bidirectional controls, fillers that look like a space, variation selectors, and non-characters (U+FFFF,
U+FFFE…) that XML and most software refuse. Text fields refuse them, messages show them as escapes."""
