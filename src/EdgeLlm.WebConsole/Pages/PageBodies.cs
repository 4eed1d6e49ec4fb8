namespace EdgeLlm.WebConsole.Pages;

/// <summary>
/// The fixed markup of each page: landmarks, labelled controls and captioned tables that <c>pages.js</c> and
/// <c>data-pages.js</c> fill from the admin API. Nothing here depends on data, so nothing here needs encoding.
/// </summary>
internal static class PageBodies
{
    public const string Overview = """
        <section aria-labelledby="figures-heading"><h2 id="figures-heading">Now</h2>
        <dl class="figures" id="figures">
        <div><dt>Ready</dt><dd data-figure="ready">…</dd></div>
        <div><dt>Uptime</dt><dd data-figure="uptime">…</dd></div>
        <div><dt>Backend</dt><dd data-figure="backend">…</dd></div>
        <div><dt>Queue</dt><dd data-figure="queue">…</dd></div>
        <div><dt>Active sequences</dt><dd data-figure="active">…</dd></div>
        <div><dt>Tokens/s</dt><dd data-figure="tokens">…</dd></div>
        <div><dt>Requests/s</dt><dd data-figure="requests">…</dd></div>
        <div><dt>Uplink</dt><dd data-figure="uplink">…</dd></div>
        <div><dt>Last update check</dt><dd data-figure="update">…</dd></div>
        <div><dt>Version</dt><dd data-figure="version">…</dd></div>
        </dl></section>
        <table id="models"><caption>Models</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Role</th><th scope="col">Policy</th><th scope="col">Queue</th><th scope="col">Active</th><th scope="col">Memory</th></tr></thead>
        <tbody></tbody></table>
        <table id="devices"><caption>Devices</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Description</th><th scope="col">Free</th><th scope="col">Total</th></tr></thead>
        <tbody></tbody></table>
        """;

    public const string Models = """
        <table id="models"><caption>Models</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Role</th><th scope="col">Policy</th><th scope="col">Footprint</th><th scope="col">Last used</th><th scope="col">Reuse</th><th scope="col">Actions</th></tr></thead>
        <tbody></tbody></table>
        <table id="rollouts"><caption>Rollouts</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Candidate</th><th scope="col">Active</th><th scope="col">Step</th><th scope="col">Share</th><th scope="col">Last window</th><th scope="col">Actions</th></tr></thead>
        <tbody></tbody></table>
        """;

    public const string Playground = """
        <form id="playground" class="card">
        <label for="model">Model</label><select id="model" name="model" required></select>
        <label for="prompt">Prompt</label><textarea id="prompt" name="prompt" rows="4" required maxlength="20000"></textarea>
        <label for="max-tokens">Max tokens</label><input id="max-tokens" name="max_tokens" type="number" min="1" max="4096" value="64" required>
        <button type="submit">Generate</button>
        </form>
        <section aria-labelledby="answer-heading"><h2 id="answer-heading">Answer</h2>
        <output id="answer" aria-label="Answer" class="answer"></output>
        <output id="usage" aria-label="Usage" class="hint"></output></section>
        """;

    public const string Updates = """
        <form id="upload" class="card">
        <label for="bundle">Bundle</label><input id="bundle" name="bundle" type="file" accept=".tar,application/x-tar" required>
        <button type="submit">Upload bundle</button>
        <progress id="upload-progress" aria-label="Upload progress" max="100" value="0"></progress>
        <p id="upload-status" role="status"></p>
        </form>
        <p><button type="button" id="check-now">Check now</button> <span id="check-status" role="status"></span></p>
        <dl class="figures" id="feed"><div><dt>Last check</dt><dd data-figure="last-check">…</dd></div><div><dt>Feed</dt><dd data-figure="feed">…</dd></div><div><dt>Last error</dt><dd data-figure="last-error">…</dd></div></dl>
        <table id="installed"><caption>Installed versions</caption>
        <thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Previous</th><th scope="col">Activated</th><th scope="col">Confirmed</th><th scope="col">Actions</th></tr></thead>
        <tbody></tbody></table>
        <table id="history"><caption>History</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Bundle</th><th scope="col">Code</th><th scope="col">Message</th></tr></thead>
        <tbody></tbody></table>
        """;

    public const string Collections = """
        <form id="create-collection" class="card">
        <label for="collection-name">Collection name</label><input id="collection-name" name="name" required maxlength="64" pattern="[A-Za-z0-9._\-]+">
        <button type="submit">Create collection</button>
        </form>
        <table id="collections"><caption>Collections</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Documents</th><th scope="col">Chunks</th><th scope="col">Embedding model</th><th scope="col">Created</th></tr></thead>
        <tbody></tbody></table>
        """;

    public const string Collection = """
        <form id="upload-documents" class="card">
        <label for="documents">Documents</label><input id="documents" name="file" type="file" multiple required>
        <button type="submit">Upload</button>
        <progress id="ingest-progress" aria-label="Ingest progress" max="100" value="0"></progress>
        <p id="ingest-status" role="status"></p>
        </form>
        <table id="documents-table"><caption>Documents</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Chunks</th><th scope="col">Bytes</th><th scope="col">Type</th></tr></thead>
        <tbody></tbody></table>
        <form id="search" class="card" role="search">
        <label for="query">Search</label><input id="query" name="query" type="search" required maxlength="2000">
        <button type="submit">Search</button>
        </form>
        <ol id="results" aria-label="Search results" class="results"></ol>
        """;

    public const string Keys = """
        <form id="create-key" class="card">
        <label for="key-name">Key name</label><input id="key-name" name="name" required maxlength="64" pattern="[A-Za-z0-9._\-]+">
        <label for="key-tenant">Tenant</label><input id="key-tenant" name="tenant" required maxlength="64" pattern="[A-Za-z0-9._\-]+">
        <fieldset><legend>Scopes</legend>
        <label class="check"><input type="checkbox" name="scope" value="inference" checked> inference</label>
        <label class="check"><input type="checkbox" name="scope" value="ingest"> ingest</label>
        <label class="check"><input type="checkbox" name="scope" value="admin"> admin</label>
        </fieldset>
        <label for="key-expires">Expires</label><input id="key-expires" name="expires" type="datetime-local">
        <button type="submit">Create key</button>
        </form>
        <section id="new-key" aria-labelledby="new-key-heading" hidden><h2 id="new-key-heading">New key</h2>
        <p>Copy it now: it is shown this once and cannot be recovered.</p>
        <code id="new-key-secret" aria-label="New key secret" class="secret"></code></section>
        <table id="keys"><caption>Keys</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Tenant</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
        <tbody></tbody></table>
        """;

    public const string Audit = """
        <p class="hint">The most recent entries since the daemon started; the whole trail is in the audit log files.</p>
        <table id="audit"><caption>Audit trail</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">Kind</th><th scope="col">Key</th><th scope="col">Tenant</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th><th scope="col">Code</th><th scope="col">From</th></tr></thead>
        <tbody></tbody></table>
        """;

    public const string Policies = """
        <table id="policies"><caption>Policies</caption>
        <thead><tr><th scope="col">Policy version</th><th scope="col">Tenants with their own policy</th><th scope="col">Candidate on trial</th></tr></thead>
        <tbody></tbody></table>
        <table id="policy-rollouts"><caption>Policy rollouts</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Candidate</th><th scope="col">Active</th><th scope="col">Share</th><th scope="col">Actions</th></tr></thead>
        <tbody></tbody></table>
        """;
}
