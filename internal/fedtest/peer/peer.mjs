// An independent ActivityPub server built on Fedify, for tusk's federation tests.
//
// It listens on 127.0.0.1 (port from --port, 0 = any free port), hosts the actors named by
// --user, and serves a JSON control API under /_control/ so a Go test can make it follow,
// post, like, boost, delete and undo, and read back everything its inboxes received. When it
// is listening it prints one line, "READY http://127.0.0.1:PORT", on standard output.
//
// Everything lives in memory: a test starts a fresh peer and throws it away.
import { serve } from "@hono/node-server";
import {
  createExponentialBackoffPolicy,
  createFederation,
  exportJwk,
  generateCryptoKeyPair,
  getDocumentLoader,
  InProcessMessageQueue,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  Announce,
  Create,
  Delete,
  Endpoints,
  Follow,
  isActor,
  Like,
  Mention,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Reject,
  Tombstone,
  Undo,
  Update,
} from "@fedify/fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    user: { type: "string", multiple: true, default: ["alice"] },
    locked: { type: "string", multiple: true, default: [] },
    "first-knock": { type: "string", default: "rfc9421" },
  },
});

// ---------------------------------------------------------------- state

/** @type {Map<string, {name: string, summary: string, locked: boolean, keys: CryptoKeyPair[]}>} */
const users = new Map();
/**
 * Followers of each local user: identifier → Map(actor id → {recipient, follow, state}), state
 * "pending" (a locked user has not answered yet) or "accepted".
 */
const followers = new Map();
/** Who each local user follows: identifier → Map(actor id → {follow, state}). */
const following = new Map();
/** Notes written here: note id → {identifier, note, create, recipients}. */
const notes = new Map();
/** Likes and boosts sent from here: activity id → {identifier, activity, recipients}. */
const sentReactions = new Map();
/** Every activity the inboxes accepted, in order. */
const received = [];
/** Every POST to an inbox with the status Fedify answered (including refused ones). */
const inboxLog = [];
/** Delivery failures reported by Fedify's outbox. */
const outboxErrors = [];
/** Raw bodies of inbox POSTs being processed, by activity id. */
const rawBodies = new Map();

for (const name of args.user) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad --user ${JSON.stringify(name)}`);
  const keys = [
    await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"),
    await generateCryptoKeyPair("Ed25519"),
  ];
  users.set(name, { name: `Peer ${name}`, summary: "", locked: args.locked.includes(name), keys });
  followers.set(name, new Map());
  following.set(name, new Map());
}

// ---------------------------------------------------------------- federation

let origin = "";
let federation;

function buildFederation() {
  const fed = createFederation({
    kv: new MemoryKvStore(),
    // Deliveries go through a queue, as on a real server, so a delivery that calls back into
    // the sender (an Accept answering a Follow) never happens inside the sender's request.
    // Inbound activities are handled while the request is open, so once a sender's POST has
    // been answered, /_control/received already shows it.
    queue: { outbox: new InProcessMessageQueue() },
    origin,
    allowPrivateAddress: true,
    firstKnock: args["first-knock"],
    circuitBreaker: false,
    outboxRetryPolicy: createExponentialBackoffPolicy({
      initialDelay: { milliseconds: 250 },
      maxDelay: { seconds: 2 },
      maxAttempts: 5,
    }),
    onOutboxError: (error, activity) => {
      outboxErrors.push({ activity: activity?.id?.href ?? null, error: String(error) });
    },
  });

  fed
    .setActorDispatcher("/users/{identifier}", localActor)
    .setKeyPairsDispatcher((_ctx, identifier) => users.get(identifier)?.keys ?? []);

  fed.setObjectDispatcher(Note, "/users/{identifier}/notes/{id}", (ctx, values) => {
    const entry = notes.get(ctx.getObjectUri(Note, values).href);
    return entry?.identifier === values.identifier ? entry.note : null;
  });

  fed.setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier) => {
    const list = followers.get(identifier);
    if (list == null) return null;
    return { items: [...list.values()].filter((f) => f.state === "accepted").map((f) => f.recipient) };
  });

  fed.setFollowingDispatcher("/users/{identifier}/following", (_ctx, identifier) => {
    const list = following.get(identifier);
    if (list == null) return null;
    const accepted = [...list.entries()].filter(([, f]) => f.state === "accepted");
    return { items: accepted.map(([id]) => new URL(id)) };
  });

  fed.setOutboxDispatcher("/users/{identifier}/outbox", (_ctx, identifier) => {
    if (!users.has(identifier)) return null;
    const items = [...notes.values()]
      .filter((n) => n.identifier === identifier && n.public)
      .map((n) => n.create);
    return { items: items.reverse() };
  });

  fed.setNodeInfoDispatcher("/nodeinfo/2.1", () => ({
    software: { name: "tusk-fedtest-peer", version: "0.0.0" },
    protocols: ["activitypub"],
    openRegistrations: false,
    usage: { users: { total: users.size }, localPosts: notes.size, localComments: 0 },
  }));

  fed
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Follow, onFollow)
    .on(Accept, onAccept)
    .on(Reject, onReject)
    .on(Undo, onUndo)
    .on(Activity, (ctx, activity) => record(ctx, activity))
    // Fetches made while handling the shared inbox (the sender's key, its actor) are signed
    // as the first user, so servers that require signed GETs answer them.
    .setSharedKeyDispatcher(() => ({ identifier: args.user[0] }))
    .onError((ctx, error) => {
      outboxErrors.push({ activity: null, error: `inbox: ${String(error)}` });
    });
  return fed;
}

async function localActor(ctx, identifier) {
  const user = users.get(identifier);
  if (user == null) return null;
  const keys = await ctx.getActorKeyPairs(identifier);
  return new Person({
    id: ctx.getActorUri(identifier),
    preferredUsername: identifier,
    name: user.name,
    summary: user.summary,
    url: ctx.getActorUri(identifier),
    inbox: ctx.getInboxUri(identifier),
    outbox: ctx.getOutboxUri(identifier),
    followers: ctx.getFollowersUri(identifier),
    following: ctx.getFollowingUri(identifier),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    manuallyApprovesFollowers: user.locked,
    publicKey: keys[0].cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
  });
}

async function record(ctx, activity) {
  const raw = rawBodies.get(activity.id?.href) ?? null;
  received.push({
    seq: received.length + 1,
    recipient: ctx.recipient ?? null,
    type: activityType(activity),
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    object: activity.objectId?.href ?? null,
    signature: raw?.signature ?? null,
    raw: raw?.json ?? (await activity.toJsonLd({ format: "compact" })),
  });
}

function activityType(activity) {
  return activity.constructor.typeId.href.replace("https://www.w3.org/ns/activitystreams#", "");
}

async function onFollow(ctx, follow) {
  await record(ctx, follow);
  const target = ctx.parseUri(follow.objectId);
  if (target?.type !== "actor" || !users.has(target.identifier)) return;
  const follower = await follow.getActor(ctx);
  if (follower == null || follower.id == null) return;
  const entry = {
    recipient: { id: follower.id, inboxId: follower.inboxId, endpoints: follower.endpoints },
    follow,
    state: "pending",
  };
  followers.get(target.identifier).set(follower.id.href, entry);
  if (!users.get(target.identifier).locked) await answerFollow(ctx, target.identifier, entry, Accept);
}

/** Sends Accept or Reject of a follower's Follow; a rejected follower is forgotten. */
async function answerFollow(ctx, identifier, entry, answer) {
  const kind = answer === Accept ? "accepts" : "rejects";
  const activity = new answer({
    id: localId(ctx, identifier, kind),
    actor: ctx.getActorUri(identifier),
    object: entry.follow,
  });
  if (answer === Accept) entry.state = "accepted";
  else followers.get(identifier).delete(entry.recipient.id.href);
  await ctx.sendActivity({ identifier }, entry.recipient, activity);
  return { id: activity.id.href };
}

async function onAccept(ctx, accept) {
  await record(ctx, accept);
  settleFollow(accept, "accepted");
}

async function onReject(ctx, reject) {
  await record(ctx, reject);
  settleFollow(reject, "rejected");
}

/** Marks the Follow an Accept or Reject answers, matched by its id or else by the followee. */
function settleFollow(answer, state) {
  const objectId = answer.objectId?.href;
  const actorId = answer.actorId?.href;
  for (const list of following.values()) {
    for (const [followee, f] of list) {
      if (f.follow.id.href === objectId || (followee === actorId && f.state === "pending")) {
        f.state = state;
      }
    }
  }
}

async function onUndo(ctx, undo) {
  await record(ctx, undo);
  const object = await undo.getObject(ctx);
  if (!(object instanceof Follow)) return;
  const target = ctx.parseUri(object.objectId);
  if (target?.type !== "actor") return;
  followers.get(target.identifier)?.delete(undo.actorId?.href);
}

function localId(ctx, identifier, kind) {
  return new URL(`${ctx.getActorUri(identifier).href}/${kind}/${randomUUID()}`);
}

// ---------------------------------------------------------------- control API

class ControlError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function localUser(identifier) {
  if (!users.has(identifier)) throw new ControlError(404, `no local user ${identifier}`);
  return identifier;
}

function urlParam(body, key) {
  const value = body?.[key];
  if (typeof value !== "string") throw new ControlError(400, `${key} must be a URL string`);
  try {
    return new URL(value);
  } catch {
    throw new ControlError(400, `${key} is not a URL: ${value}`);
  }
}

/**
 * Fetches an object afresh (no cache), so a test sees what the remote serves now. The GET is
 * signed as the local user signer when one is given (as Fedify apps do), else unsigned.
 */
async function fetchFresh(ctx, url, signer) {
  const documentLoader =
    signer == null
      ? getDocumentLoader({ allowPrivateAddress: true })
      : await ctx.getDocumentLoader({ identifier: signer });
  const object = await ctx.lookupObject(url, { documentLoader });
  if (object == null) throw new ControlError(502, `could not fetch ${url.href}`);
  return object;
}

async function fetchActor(ctx, url, signer) {
  const actor = await fetchFresh(ctx, url, signer);
  if (!isActor(actor)) throw new ControlError(400, `${url.href} is not an actor`);
  return actor;
}

async function controlFollow(ctx, identifier, body) {
  const target = await fetchActor(ctx, urlParam(body, "actor"), identifier);
  const follow = new Follow({
    id: localId(ctx, identifier, "follows"),
    actor: ctx.getActorUri(identifier),
    object: target.id,
  });
  following.get(identifier).set(target.id.href, { follow, state: "pending" });
  await ctx.sendActivity({ identifier }, target, follow);
  return { id: follow.id.href };
}

async function controlUnfollow(ctx, identifier, body) {
  const target = await fetchActor(ctx, urlParam(body, "actor"), identifier);
  const entry = following.get(identifier).get(target.id.href);
  if (entry == null) throw new ControlError(404, `${identifier} does not follow ${target.id.href}`);
  following.get(identifier).delete(target.id.href);
  const undo = new Undo({
    id: localId(ctx, identifier, "undos"),
    actor: ctx.getActorUri(identifier),
    object: entry.follow,
  });
  await ctx.sendActivity({ identifier }, target, undo);
  return { id: undo.id.href };
}

const visibilities = new Set(["public", "unlisted", "followers", "direct"]);

/** Addressing of a note: who is in to and cc, and whether followers get it. */
function audience(ctx, identifier, visibility, mentioned) {
  const followersUri = ctx.getFollowersUri(identifier);
  const mentionIds = mentioned.map((a) => a.id);
  switch (visibility) {
    case "public":
      return { tos: [PUBLIC_COLLECTION], ccs: [followersUri, ...mentionIds], toFollowers: true };
    case "unlisted":
      return { tos: [followersUri], ccs: [PUBLIC_COLLECTION, ...mentionIds], toFollowers: true };
    case "followers":
      return { tos: [followersUri], ccs: mentionIds, toFollowers: true };
    default:
      return { tos: mentionIds, ccs: [], toFollowers: false };
  }
}

async function sendToAudience(ctx, identifier, recipients, toFollowers, activity) {
  if (recipients.length > 0) {
    await ctx.sendActivity({ identifier }, recipients, activity, { preferSharedInbox: true });
  }
  const accepted = [...followers.get(identifier).values()].filter((f) => f.state === "accepted");
  if (toFollowers && accepted.length > 0) {
    await ctx.sendActivity({ identifier }, "followers", activity, { preferSharedInbox: true });
  }
}

async function controlPost(ctx, identifier, body) {
  const visibility = body.visibility ?? "public";
  if (!visibilities.has(visibility)) throw new ControlError(400, `bad visibility ${visibility}`);
  if (typeof body.content !== "string" || body.content === "") {
    throw new ControlError(400, "content must be a non-empty string");
  }
  if (body.mentions != null && !Array.isArray(body.mentions)) {
    throw new ControlError(400, "mentions must be a list of actor URLs");
  }
  const mentionUrls = (body.mentions ?? []).map((m) => urlParam({ mention: m }, "mention"));
  const mentioned = await Promise.all(mentionUrls.map((u) => fetchActor(ctx, u, identifier)));
  const replyTarget = body.inReplyTo == null ? null : urlParam(body, "inReplyTo");
  const id = randomUUID();
  const noteId = ctx.getObjectUri(Note, { identifier, id });
  const { tos, ccs, toFollowers } = audience(ctx, identifier, visibility, mentioned);
  const note = new Note({
    id: noteId,
    attribution: ctx.getActorUri(identifier),
    content: body.content,
    summary: body.summary ?? null,
    sensitive: body.summary != null,
    url: noteId,
    published: Temporal.Now.instant(),
    tos,
    ccs,
    replyTarget,
    tags: mentioned.map((a) => new Mention({ href: a.id, name: handleOf(a) })),
  });
  const create = new Create({
    id: new URL(`${noteId.href}/activity`),
    actor: ctx.getActorUri(identifier),
    object: note,
    tos,
    ccs,
    published: note.published,
  });
  notes.set(noteId.href, {
    identifier,
    note,
    create,
    mentioned,
    toFollowers,
    public: visibility === "public",
  });
  await sendToAudience(ctx, identifier, mentioned, toFollowers, create);
  return { id: noteId.href, activity: create.id.href };
}

function handleOf(actor) {
  return `@${actor.preferredUsername}@${actor.id.host}`;
}

function ownNote(identifier, body) {
  const id = urlParam(body, "object").href;
  const entry = notes.get(id);
  if (entry == null || entry.identifier !== identifier) {
    throw new ControlError(404, `${identifier} has no note ${id}`);
  }
  return entry;
}

async function controlDelete(ctx, identifier, body) {
  const entry = ownNote(identifier, body);
  notes.delete(entry.note.id.href);
  const del = new Delete({
    id: localId(ctx, identifier, "deletes"),
    actor: ctx.getActorUri(identifier),
    object: new Tombstone({ id: entry.note.id }),
    tos: entry.note.toIds,
    ccs: entry.note.ccIds,
  });
  await sendToAudience(ctx, identifier, entry.mentioned, entry.toFollowers, del);
  return { id: del.id.href };
}

async function controlUpdateNote(ctx, identifier, body) {
  const entry = ownNote(identifier, body);
  if (typeof body.content !== "string" || body.content === "") {
    throw new ControlError(400, "content must be a non-empty string");
  }
  entry.note = entry.note.clone({ content: body.content, updated: Temporal.Now.instant() });
  entry.create = entry.create.clone({ object: entry.note });
  const update = new Update({
    id: localId(ctx, identifier, "updates"),
    actor: ctx.getActorUri(identifier),
    object: entry.note,
    tos: entry.note.toIds,
    ccs: entry.note.ccIds,
  });
  await sendToAudience(ctx, identifier, entry.mentioned, entry.toFollowers, update);
  return { id: update.id.href };
}

async function controlUpdateProfile(ctx, identifier, body) {
  const user = users.get(identifier);
  if (typeof body.name === "string") user.name = body.name;
  if (typeof body.summary === "string") user.summary = body.summary;
  const actor = await localActor(ctx, identifier);
  const update = new Update({
    id: localId(ctx, identifier, "updates"),
    actor: actor.id,
    object: actor,
    tos: [PUBLIC_COLLECTION],
    ccs: [ctx.getFollowersUri(identifier)],
  });
  await sendToAudience(ctx, identifier, [], true, update);
  return { id: update.id.href };
}

/** Likes or boosts an object; the reaction goes to the object's author (and followers for boosts). */
async function controlReact(ctx, identifier, body, kind) {
  const object = await fetchFresh(ctx, urlParam(body, "object"), identifier);
  const author = await object.getAttribution?.({
    documentLoader: await ctx.getDocumentLoader({ identifier }),
    contextLoader: ctx.contextLoader,
  });
  if (author == null || !isActor(author)) {
    throw new ControlError(400, `cannot find the author of ${object.id?.href}`);
  }
  const actorUri = ctx.getActorUri(identifier);
  const activity =
    kind === "like"
      ? new Like({ id: localId(ctx, identifier, "likes"), actor: actorUri, object: object.id, tos: [author.id] })
      : new Announce({
          id: localId(ctx, identifier, "announces"),
          actor: actorUri,
          object: object.id,
          tos: [PUBLIC_COLLECTION],
          ccs: [author.id, ctx.getFollowersUri(identifier)],
          published: Temporal.Now.instant(),
        });
  const toFollowers = kind === "announce";
  sentReactions.set(activity.id.href, { identifier, kind, activity, author, toFollowers });
  await sendToAudience(ctx, identifier, [author], toFollowers, activity);
  return { id: activity.id.href };
}

/** Undoes the latest like or boost of an object by this user. */
async function controlUndoReaction(ctx, identifier, body, kind) {
  const objectId = urlParam(body, "object").href;
  const entry = [...sentReactions.values()]
    .reverse()
    .find((r) => r.identifier === identifier && r.kind === kind && r.activity.objectId?.href === objectId);
  if (entry == null) throw new ControlError(404, `${identifier} has no ${kind} of ${objectId}`);
  sentReactions.delete(entry.activity.id.href);
  const undo = new Undo({
    id: localId(ctx, identifier, "undos"),
    actor: ctx.getActorUri(identifier),
    object: entry.activity,
  });
  await sendToAudience(ctx, identifier, [entry.author], entry.toFollowers, undo);
  return { id: undo.id.href };
}

async function controlLookup(ctx, query) {
  const uri = query.get("uri");
  if (uri == null) throw new ControlError(400, "uri query parameter is required");
  const signer = query.get("as");
  if (signer != null) localUser(signer);
  const object = await fetchFresh(ctx, urlParam({ uri }, "uri"), signer);
  return { type: activityType(object), id: object.id?.href ?? null, json: await object.toJsonLd({ format: "compact" }) };
}

function userLists(identifier) {
  return {
    followers: [...followers.get(identifier).entries()].map(([actor, f]) => ({
      actor,
      follow: f.follow.id?.href ?? null,
      state: f.state,
    })),
    following: [...following.get(identifier).entries()].map(([actor, f]) => ({
      actor,
      follow: f.follow.id.href,
      state: f.state,
    })),
  };
}

/** Accepts a pending follower or rejects a follower (pending or not: "remove follower"). */
async function controlAnswerFollower(ctx, identifier, body, answer) {
  const actor = urlParam(body, "actor").href;
  const entry = followers.get(identifier).get(actor);
  if (entry == null) throw new ControlError(404, `${actor} has not asked to follow ${identifier}`);
  if (answer === Accept && entry.state === "accepted") {
    throw new ControlError(409, `${actor} already follows ${identifier}`);
  }
  return answerFollow(ctx, identifier, entry, answer);
}

const userActions = {
  "accept-follower": (ctx, id, body) => controlAnswerFollower(ctx, id, body, Accept),
  "reject-follower": (ctx, id, body) => controlAnswerFollower(ctx, id, body, Reject),
  follow: controlFollow,
  unfollow: controlUnfollow,
  notes: controlPost,
  delete: controlDelete,
  "update-note": controlUpdateNote,
  "update-profile": controlUpdateProfile,
  like: (ctx, id, body) => controlReact(ctx, id, body, "like"),
  unlike: (ctx, id, body) => controlUndoReaction(ctx, id, body, "like"),
  announce: (ctx, id, body) => controlReact(ctx, id, body, "announce"),
  unannounce: (ctx, id, body) => controlUndoReaction(ctx, id, body, "announce"),
};

async function control(request, url) {
  const ctx = federation.createContext(new URL(origin), undefined);
  const parts = url.pathname.split("/").filter((p) => p !== "").slice(1);
  if (request.method === "GET") {
    if (parts[0] === "received") return received.slice(Number(url.searchParams.get("after") ?? 0));
    if (parts[0] === "inbox-log") return inboxLog;
    if (parts[0] === "errors") return outboxErrors;
    if (parts[0] === "lookup") return controlLookup(ctx, url.searchParams);
    if (parts[0] === "users" && parts.length === 2) return userLists(localUser(parts[1]));
    throw new ControlError(404, `no control endpoint GET ${url.pathname}`);
  }
  if (request.method === "POST" && parts[0] === "users" && parts.length === 3) {
    const action = userActions[parts[2]];
    if (action == null) throw new ControlError(404, `no control action ${parts[2]}`);
    let body;
    try {
      body = await request.json();
    } catch (e) {
      throw new ControlError(400, `body is not JSON: ${e.message}`);
    }
    return action(ctx, localUser(parts[1]), body ?? {});
  }
  throw new ControlError(405, `${request.method} ${url.pathname} is not a control call`);
}

async function handleControl(request, url) {
  try {
    return Response.json(await control(request, url));
  } catch (e) {
    const status = e instanceof ControlError ? e.status : 500;
    return Response.json({ error: String(e?.stack ?? e) }, { status });
  }
}

// ---------------------------------------------------------------- HTTP

function signatureScheme(headers) {
  if (headers.has("signature-input")) return "rfc9421";
  if (headers.has("signature")) return "draft-cavage";
  return "none";
}

/** Keeps the raw body of an inbox POST so tests can see exactly what the sender wrote. */
async function handleInbox(request) {
  const text = await request.clone().text();
  const entry = { path: new URL(request.url).pathname, signature: signatureScheme(request.headers) };
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    entry.body = text;
  }
  const activityId = typeof json?.id === "string" ? json.id : null;
  if (activityId != null) rawBodies.set(activityId, { json, signature: entry.signature });
  const response = await federation.fetch(request, { contextData: undefined });
  if (activityId != null) rawBodies.delete(activityId);
  inboxLog.push({ ...entry, id: activityId, type: json?.type ?? null, status: response.status });
  return response;
}

async function handle(request) {
  const url = new URL(request.url);
  if (url.pathname.startsWith("/_control/")) return handleControl(request, url);
  if (request.method === "POST" && url.pathname.endsWith("/inbox")) return handleInbox(request);
  return federation.fetch(request, { contextData: undefined });
}

const server = serve({ fetch: handle, hostname: "127.0.0.1", port: Number(args.port) }, (info) => {
  origin = `http://127.0.0.1:${info.port}`;
  federation = buildFederation();
  process.stdout.write(`READY ${origin}\n`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
