//! The check in tiles against the check in one pass: the same conflicts, each reported by
//! exactly one tile, whatever the grid (tiles cutting through units and plots, reference
//! points exactly on tile edges, a grid not aligned with anything).

use std::path::Path;

use strata::checks::tiles::{Grid, assign, check_tiled, halo};
use strata::checks::{CheckOptions, check};
use strata::generate::{DistrictOptions, district};
use strata::geometry::Aabb;
use strata::geometry::algorithm::BoundingBox3;
use strata::io::{ImportOptions, read_dataset};
use strata::model::Dataset;

fn same_as_one_pass(ds: &Dataset, grids: &[Grid], what: &str) {
    let opts = CheckOptions::default();
    let whole = check(ds, &opts).report.conflicts;
    assert!(!whole.is_empty(), "{what}: nothing to find");
    for g in grids {
        let (tiled, _) = check_tiled(ds, g, &opts);
        assert_eq!(
            tiled.len(),
            whole.len(),
            "{what}, grid {g:?}: {} conflicts in tiles, {} in one pass",
            tiled.len(),
            whole.len()
        );
        assert_eq!(tiled, whole, "{what}, grid {g:?}");
    }
}

#[test]
fn a_generated_district_in_tiles_gives_the_one_pass_conflicts() {
    for seed in [1, 2] {
        let d = district(&DistrictOptions {
            units: 2_000,
            seed,
            conflict_every: 5,
        });
        let ds = d.to_dataset();
        let boxes: Vec<Aabb> = ds.units.iter().map(|u| u.volume.bbox()).collect();
        let all = boxes.iter().fold(Aabb::empty(), |a, b| a.union(b));
        let corner = [all.min.x, all.min.y];
        let grids = [
            // On the units' own coordinates: many reference points fall on tile edges.
            Grid::new(corner, 20.0).unwrap(),
            Grid::new(corner, 100.0).unwrap(),
            // Cutting through everything.
            Grid::new([corner[0] + 13.7, corner[1] - 41.3], 237.3).unwrap(),
            // One tile.
            Grid::new(corner, 1e6).unwrap(),
        ];
        same_as_one_pass(&ds, &grids, &format!("seed {seed}"));
        // Some conflicts join units whose own corners lie in different tiles of the finest
        // grid: pairs across tile edges are among those found once.
        let corner_tile = |key: &str| {
            let b = ds.unit(key).unwrap().volume.bbox();
            grids[0].tile_of(b.min.x, b.min.y)
        };
        let across = check(&ds, &CheckOptions::default())
            .report
            .conflicts
            .iter()
            .filter(|c| {
                c.b.as_deref()
                    .is_some_and(|b| ds.unit(b).is_some() && corner_tile(b) != corner_tile(&c.a))
            })
            .count();
        assert!(across > 0, "seed {seed}: no pair across tiles");
        // Tiles are smaller than the district: the split is real.
        let tiles = assign(&boxes, &grids[0], halo(&boxes, 0.001));
        assert!(tiles.len() > 10, "{} tiles", tiles.len());
    }
}

#[test]
fn the_reference_projects_in_tiles_give_the_one_pass_conflicts() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for (file, origin) in [
        ("wengcheng/wengcheng.geojson", [474_241.356, 4_418_953.912]),
        ("dazhongsi/dazhongsi.geojson", [0.0, 0.0]),
    ] {
        let ds = read_dataset(&[data.join(file)], &ImportOptions::default()).unwrap();
        let grids = [
            Grid::new(origin, 10.0).unwrap(),
            Grid::new(origin, 33.3).unwrap(),
            Grid::new([origin[0] + 0.5, origin[1] + 0.25], 70.0).unwrap(),
        ];
        let whole = check(&ds, &CheckOptions::default()).report.conflicts;
        for g in &grids {
            assert_eq!(
                check_tiled(&ds, g, &CheckOptions::default()).0,
                whole,
                "{file}, {g:?}"
            );
        }
    }
}
