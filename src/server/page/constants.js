// The page's shared constants: the colours of the strata, of the highlights and of a proposed
// layer (the legend shows them), how opaque each stratum's solids are, the strata's names,
// and the section slider's "no cut" elevation.

/** The colours of the page, one per stratum, per highlight and for a proposed layer (the
 * legend shows them). */
export const COLOURS = Object.freeze({
  above: '#e8833a', // 地上 above ground: warm orange
  surface: '#43a047', // 地表 surface: green
  under: '#5c6bd6', // 地下 under ground: blue-violet
  selected: '#ffffff', // the selected unit's edges
  tunnel: '#c9d3df', // the proposed tunnel
  met: '#e5383b', // units the tunnel meets: red
  clearance: '#f2c12e', // units within the tunnel's clearance only: yellow
  proposal: '#d14fd6', // the layer proposed in the rules pane: magenta
});

/** How opaque each stratum's solids are: the surface layer, lying over the others, the least. */
export const OPACITY = { above: 0.45, surface: 0.22, under: 0.6 };

export const STRATUM_LABEL = { above: '地上 Above ground', surface: '地表 Surface', under: '地下 Under ground' };

/** The clipping elevation of "no cut": above everything a register holds. */
export const NO_CUT = 1e9;
