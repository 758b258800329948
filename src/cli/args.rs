//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Strata: three-dimensional cadastre of layered land-use rights.
#[derive(Debug, Parser)]
#[command(name = "strata", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate survey files: geometry (val3dity codes) and cadastral fields (8xx codes).
    Validate(ValidateArgs),
    /// Summarise the units of survey files: code, stratum, volume, bounding box.
    Info(InfoArgs),
    /// Real-estate unit codes (GB/T 37346-2019): parse and pre-assign.
    #[command(subcommand)]
    Code(CodeCommand),
    /// Find conflicts: overlaps, units outside their plot, land or stratum, declared 六至.
    Check(CheckArgs),
    /// The six-direction boundary table (六至) of one unit.
    Sixto(SixtoArgs),
    /// Which units a proposed volume (tunnel, car park, passage) hits, and which are near it.
    Query(QueryArgs),
    /// Check the planning rules of a district's rules file (TOML): the share of green space
    /// developed under ground, the soil above it, protected trees, facilities in green space.
    Rules(RulesArgs),
    /// Write the units to a GeoPackage for QGIS and other GIS (needs the `gdal` feature).
    Export(ExportArgs),
    /// Write a synthetic district with known injected conflicts.
    Generate(GenerateArgs),
    /// The register (登记簿): layered rights, acts and their history.
    #[command(subcommand)]
    Register(RegisterCommand),
    /// Certificates (不动产权证书): issue them sealed, verify them offline.
    #[command(subcommand)]
    Cert(CertCommand),
    /// Run everything on the bundled reference projects (Wengcheng, Dazhongsi).
    Demo(DemoArgs),
    /// Serve the register over HTTP: the API for programs, with users and roles.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    #[arg(long)]
    pub register: String,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The users file (JSON: name, role and the SHA-256 of each user's token). Without it only
    /// the public endpoints answer.
    #[arg(long)]
    pub users: Option<PathBuf>,
    /// The office's public key (`strata cert keygen` writes it as K.pub): certificates are
    /// then verified at /api/verify.
    #[arg(long)]
    pub verify_key: Option<PathBuf>,
    /// The district's planning rules (TOML, as for `strata rules`): checked at /api/rules.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// The office's secret key (`strata cert keygen`): officers then get certificates at
    /// /api/units/{code}/certificate.pdf, and certificates are verified with its public half.
    #[arg(long)]
    pub seal_key: Option<PathBuf>,
    /// The map and certificate profile (TOML, as for `strata register map`).
    #[arg(long)]
    pub profile: Option<PathBuf>,
    /// The folder where surveyors' submissions wait for an officer (default: beside a
    /// GeoPackage register, REGISTER.pending).
    #[arg(long)]
    pub pending: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Overlaps thinner than this (m) are slivers (warnings).
    #[arg(long, value_name = "M", default_value_t = 0.05)]
    pub tolerance: f64,
    /// Worker threads (default: all cores; more than the machine has are not started).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Check in square tiles of this side (m), one at a time, each with a halo of the largest
    /// unit: the same conflicts, each reported by one tile.
    #[arg(long, value_name = "M")]
    pub tile_size: Option<f64>,
    /// The corner of tile (0, 0) (default: the lower corner of the units' boxes).
    #[arg(long, value_name = "X,Y")]
    pub tile_origin: Option<String>,
    /// Check in bounded memory: read the files once for the units' boxes, then once per
    /// batch of tiles that fits SIZE (`6G`, `512M`, bytes): the same conflicts. The tiles are
    /// `--tile-size` wide, or chosen from SIZE.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub memory_limit: Option<u64>,
}

/// A size in bytes: a number, optionally followed by K, M or G (powers of 1024; `KiB`,
/// `MB`, `GiB` and the like read the same).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}`: a size such as 6G, 512M or 1000000 (bytes)"))?;
    let scale: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        "T" | "TB" | "TIB" => 1 << 40,
        _ => return Err(format!("`{s}`: the unit is K, M, G or T")),
    };
    let bytes = n * scale as f64;
    if !(bytes.is_finite() && bytes >= 1.0 && bytes < u64::MAX as f64) {
        return Err(format!("`{s}`: a size of at least one byte"));
    }
    Ok(bytes as u64)
}

#[derive(Debug, Args)]
pub struct SixtoArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The unit code.
    #[arg(long, value_name = "CODE")]
    pub unit: String,
    /// Print the table as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The proposed volume: a GeoJSON or CityJSON file, `box:minx,miny,minz,maxx,maxy,maxz`,
    /// or `prism:zbottom,ztop:x1 y1,x2 y2,x3 y3,...` (metres, the dataset's CRS and datum).
    #[arg(long, value_name = "V")]
    pub volume: String,
    /// Also list units within this many metres of the proposal.
    #[arg(long, value_name = "M")]
    pub clearance: Option<f64>,
    /// Print the answer as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The district's rules file (TOML; `data/rules/beijing-toolbox.toml` holds the policy
    /// toolbox's figures).
    #[arg(long, value_name = "FILE")]
    pub rules: PathBuf,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The GeoPackage to write (.gpkg); an existing file is replaced whole.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of units.
    #[arg(long, default_value_t = 1000)]
    pub units: usize,
    /// Seed: the same seed gives the same district.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// One plot in this many gets an injected conflict (0: none).
    #[arg(long, default_value_t = 50)]
    pub conflict_every: usize,
    /// Output file: .geojson, .fgb (FlatGeobuf, for large districts) or .csv (WKT, for databases).
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the injected conflicts (the expected findings) as JSON.
    #[arg(long)]
    pub truth: Option<PathBuf>,
}

/// Options shared by the commands that read survey files.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Survey files, together one dataset: GeoJSON (survey profile), CityJSON, FlatGeobuf,
    /// LandXML; with the `gdal` feature also DXF, Shapefile, GeoPackage, GML.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How survey files are read and admitted.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Fields named otherwise in the files: profile name = file's field, e.g.
    /// --map unit_code=BDCDYH,z_bottom=DBGC,z_top=DGGC.
    #[arg(long, value_name = "NAME=FIELD,...")]
    pub map: Option<String>,
    /// A field-mapping file (JSON: {"fields": {...}, "values": {unit code: {...}}}).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Reproject every file into this CRS through GDAL/PROJ: EPSG:n, or `auto` for the
    /// CGCS2000 3-degree Gauss-Krüger zone of the data (needs the `gdal` feature).
    #[arg(long, value_name = "auto|EPSG")]
    pub reproject: Option<String>,
    /// Heights in DATUM plus M metres are heights in --height-datum, e.g.
    /// --height-offset EPSG:5736=-0.029 (repeatable).
    #[arg(long, value_name = "DATUM=M")]
    pub height_offset: Vec<String>,
    /// Horizontal CRS of files that do not name one, e.g. EPSG:4548.
    #[arg(long, value_name = "EPSG")]
    pub crs: Option<String>,
    /// Height datum of files that do not name one, e.g. EPSG:5737 (1985国家高程基准).
    #[arg(long, value_name = "DATUM")]
    pub height_datum: Option<String>,
    /// Extra parcel-kind letters accepted in unit codes (local practice), e.g. --extra-parcel-letters QR.
    #[arg(long, value_name = "LETTERS")]
    pub extra_parcel_letters: Option<String>,
    /// Go on without the units (and plots) that validation rejects, and say which were left
    /// out; without it, invalid input is refused (exit 1).
    #[arg(long)]
    pub skip_invalid: bool,
    #[command(flatten)]
    pub tolerances: ToleranceArgs,
}

/// The tolerances of validation.
#[derive(Debug, Args)]
pub struct ToleranceArgs {
    /// Snap tolerance in metres: points closer than this are one point.
    #[arg(long, value_name = "M", default_value_t = 0.001)]
    pub snap_tol: f64,
    /// Planarity tolerance in metres: distance of a face's points to its fitted plane.
    #[arg(long, value_name = "M", default_value_t = 0.01)]
    pub planarity_tol: f64,
    /// Normals tolerance in degrees: deviation between a face's triangles.
    #[arg(long, value_name = "DEG", default_value_t = 20.0)]
    pub normals_tol: f64,
    /// Overlap tolerance in metres: parts of one unit that overlap by less (after each is
    /// eroded by a cube of this half-side, as val3dity's --overlap_tol) are not 501.
    #[arg(long, value_name = "M", default_value_t = 0.0)]
    pub overlap_tol: f64,
    /// Accept tolerances beyond the accuracy of a cadastral survey (over 0.05 m, or normals
    /// over 45°), which would pass as valid what the survey can tell apart.
    #[arg(long)]
    pub coarse_tolerances: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum CodeCommand {
    /// Check a unit code segment by segment and explain it.
    Parse {
        /// The 28-character code.
        code: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Pre-assign (预编) the next free codes of a sub-district and parcel feature code.
    Next {
        /// Sub-district and parcel feature code, 14 characters, e.g. 110112003005GX.
        #[arg(long)]
        prefix: String,
        /// How many codes.
        #[arg(long, default_value_t = 1)]
        count: usize,
        /// Fixture part (feature letter and 8-digit number), default W00000000.
        #[arg(long, value_name = "F00010001")]
        fixture: Option<String>,
        /// Survey files whose codes are taken (sequence numbers are never reused).
        files: Vec<PathBuf>,
        /// The sub-district's ledger of every code ever issued, cancelled ones included (one
        /// code per line): its codes are taken, and the new codes are added to it.
        #[arg(long, value_name = "FILE")]
        ledger: Option<PathBuf>,
        #[command(flatten)]
        read: Box<ReadArgs>,
        /// Print the codes as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Write the reports (JSON) into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The folder of the bundled data (default: ./data, else the one next to the sources).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
}

// ---- strata register ----

#[derive(Debug, Subcommand)]
pub enum RegisterCommand {
    /// Create an empty register (a GeoPackage file, a PostgreSQL schema, or a register
    /// sharded by county over several PostgreSQL servers).
    Init(InitArgs),
    /// Register a whole survey: its plots and the first registration of every unit, as one
    /// batch (all or nothing).
    Import(Box<ImportArgs>),
    /// Record acts from a JSON file (one act or an array): one batch, all or nothing.
    Act(Box<ActArgs>),
    /// A unit's register page (登记簿), now or as of a past moment.
    Show(ShowArgs),
    /// Every act that touched a unit.
    History(ShowArgs),
    /// The live rights in a 3D box or meeting a proposed volume.
    Query(RegQueryArgs),
    /// A party's live holdings and mortgages.
    Holdings(HoldingsArgs),
    /// Every certificate issued, and which are current.
    Certificates(CertificatesArgs),
    /// The 3D parcel map (三维宗地图) of a unit, as SVG or PDF.
    Map(MapArgs),
    /// The register for other systems: CityJSON 2.0 (.city.json), LADM tables (.gpkg),
    /// glTF (.glb) or the survey table (.csv, .json).
    Export(RegExportArgs),
    /// Recompute the hash chain, replay every act, compare and check the invariants.
    Verify(VerifyArgs),
    /// Copy a register into a new one (GeoPackage to PostgreSQL and back): every act replayed
    /// under the same rules, the same hashes, in one transaction.
    Copy(CopyArgs),
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The register to copy.
    pub from: String,
    /// The new register.
    pub to: String,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new register: a GeoPackage file (.gpkg), or postgresql://user@host:port/db#schema
    /// (schema `strata` by default).
    pub register: String,
    /// The projected CRS of all coordinates, e.g. EPSG:4548.
    #[arg(long, value_name = "EPSG")]
    pub crs: Option<String>,
    /// The height datum of all elevations.
    #[arg(long, value_name = "DATUM", default_value = "EPSG:5737")]
    pub height_datum: String,
    /// Overlaps thinner than this (m) are slivers, not conflicts.
    #[arg(long, value_name = "M", default_value_t = 0.05)]
    pub tolerance: f64,
    /// The office's certificate-number pattern, e.g. `{county_code}-{year}-{serial}`
    /// (placeholders {province} {year} {county} {county_code} {kind} {serial}); the national
    /// form `{province}({year}){county}{kind}第{serial}号` when not given.
    #[arg(long, value_name = "PATTERN")]
    pub certificate_pattern: Option<String>,
    /// Shard the register by county: county CODE's register on the PostgreSQL server at URL
    /// (repeat for each county); REGISTER is then the coordinator (postgresql://…#schema).
    #[arg(long, value_name = "CODE=URL", requires = "counties")]
    pub shard: Vec<String>,
    /// The counties' boundaries for --shard: a GeoJSON FeatureCollection of Polygons or
    /// MultiPolygons in the register's CRS, each with a `code` property (six digits).
    #[arg(long, value_name = "FILE", requires = "shard")]
    pub counties: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// Survey files, together one dataset.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// The officer who confirms the batch (登簿人).
    #[arg(long)]
    pub officer: String,
    /// Business numbers are PREFIX-1, PREFIX-2, …
    #[arg(long, value_name = "PREFIX", default_value = "IMPORT")]
    pub number_prefix: String,
    /// The survey result (多测合一成果) for units that name none.
    #[arg(long, value_name = "ID", default_value = "survey")]
    pub survey: String,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ActArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// The acts: a JSON file holding one act or an array of acts (or give one act with flags
    /// and a subcommand).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub common: super::register_flags::Common,
    /// One act from flags.
    #[command(subcommand)]
    pub one: Option<super::register_flags::OneAct>,
    /// Record at this time instead of now (entering acts confirmed on paper, 补录): not
    /// before the last act, not in the future. RFC 3339, e.g. 2024-06-01T10:00:00+08:00.
    #[arg(long, value_name = "TIME")]
    pub recorded_at: Option<String>,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// The unit code.
    pub unit: String,
    /// The page as of this moment (RFC 3339) or day (YYYY-MM-DD, its end in China time).
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write the page as a PDF document (A4, the 2015 template's sections).
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<std::path::PathBuf>,
    /// The office profile heading the PDF (see `register map`).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct RegQueryArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// A box `minx,miny,minz,maxx,maxy,maxz`, or a proposed volume: `box:…`, `prism:…`.
    #[arg(long, value_name = "V")]
    pub volume: String,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HoldingsArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// The party's identifier.
    pub party: String,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["unit", "all", "plot", "units"])))]
pub struct MapArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// The unit code.
    pub unit: Option<String>,
    /// Every registered unit of the register.
    #[arg(long)]
    pub all: bool,
    /// Every registered unit of this plot.
    #[arg(long, value_name = "ID")]
    pub plot: Option<String>,
    /// The units whose codes a file lists (one per line; blank lines and `#` comments
    /// skipped).
    #[arg(long, value_name = "FILE")]
    pub units: Option<std::path::PathBuf>,
    /// For one unit, the sheet: `.pdf`, or `.svg` (a map whose point table runs over writes
    /// its further pages beside it as NAME-2.svg, NAME-3.svg …). For --all and --plot, the
    /// folder that receives UNIT.map.pdf (or .svg) for each unit (also for --units).
    #[arg(long, value_name = "PATH")]
    pub out: std::path::PathBuf,
    /// The format of the sheets written with --all or --plot: pdf or svg.
    #[arg(long, value_name = "FORMAT", default_value = "pdf")]
    pub format: String,
    /// The office profile (JSON: office, surveying_unit, drafter, checker, paper, colours,
    /// font).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<std::path::PathBuf>,
    /// The paper, overriding the profile's: A3 or A4 (landscape).
    #[arg(long, value_name = "SIZE")]
    pub paper: Option<String>,
    /// A further section along the line from (x1, y1) to (x2, y2), metres in the register's
    /// CRS; may be given more than once.
    #[arg(long, value_name = "X1,Y1,X2,Y2")]
    pub section: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RegExportArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// The file: `.city.json` (CityJSON 2.0 with the Strata Extension), `.gpkg` (LADM
    /// tables), `.glb` (glTF 2.0), `.csv` or `.json` (the survey table).
    #[arg(long, value_name = "FILE")]
    pub out: std::path::PathBuf,
    /// Only the registered units of this plot.
    #[arg(long, value_name = "ID")]
    pub plot: Option<String>,
    /// Where readers of the CityJSON find the Extension schema
    /// (schemas/cityjson/strata_cadastre.ext.json).
    #[arg(long, value_name = "URL", default_value = "strata_cadastre.ext.json")]
    pub extension_url: String,
}

#[derive(Debug, Args)]
pub struct CertificatesArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// Only the certificates of this unit.
    #[arg(long)]
    pub unit: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Make an office key pair: KEY (secret, kept by the office) and KEY.pub (given to
    /// verifiers).
    Keygen(KeygenArgs),
    /// Issue the current title certificate of a unit: the PDF (certificate page and 三维宗地图)
    /// and the sealed record (.ecert.json).
    Issue(IssueArgs),
    /// Verify a certificate offline: the seal, the PDF's hash, that the register still
    /// holds it as current and that the certified volume is the registered one.
    Verify(CertVerifyArgs),
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The secret key file to write (the public key goes beside it, as KEY.pub).
    #[arg(long, value_name = "KEY")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["unit", "all"])))]
pub struct IssueArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// The unit code.
    pub unit: Option<String>,
    /// Every registered unit holding a current title certificate.
    #[arg(long)]
    pub all: bool,
    /// The office's secret key.
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// The folder to write UNIT.cert.pdf and UNIT.ecert.json into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The office profile (see `register map`).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CertVerifyArgs {
    /// The register: a GeoPackage file, or postgresql://user@host:port/db#schema.
    pub register: String,
    /// The office's public key.
    #[arg(long, value_name = "KEY.pub")]
    pub key: PathBuf,
    /// The sealed record (.ecert.json).
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "qr",
        required_unless_present = "qr"
    )]
    pub ecert: Option<PathBuf>,
    /// The certificate's PDF, checked against the record's hash (with --ecert).
    #[arg(long, value_name = "FILE", requires = "ecert")]
    pub pdf: Option<PathBuf>,
    /// The text of the certificate's QR code.
    #[arg(long, value_name = "TEXT")]
    pub qr: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}
