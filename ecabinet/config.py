"""Settings, read once from ``ECABINET_*`` environment variables.

The object is built at start-up and never changes. An unsafe production setting stops
the server with a message that says what to fix (``SettingsError``).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from urllib.parse import urlsplit

from ecabinet.auth.throttle import ATTEMPTS_PER_ADDRESS
from realtime.backpressure import DEFAULT_MAX_BYTES, DEFAULT_MAX_MESSAGES
from realtime.limits import (
    COMMANDS_BURST_SECS,
    COMMANDS_PER_SEC_CONNECTION,
    COMMANDS_PER_SEC_USER,
    CONNECTIONS_PER_USER,
    EPHEMERAL_BURST_SECS,
    EPHEMERAL_PER_SEC_USER,
    HubLimits,
    Rate,
)

SECRET_KEY_MIN_CHARS = 32
SESSION_IDLE_SECS_DEFAULT = 8 * 3600  # a working day of inactivity, in seconds
SESSION_MAX_SECS_DEFAULT = 7 * 24 * 3600  # one week, in seconds
UPLOAD_MAX_BYTES_DEFAULT = 100 * 1024 * 1024  # one uploaded document, in bytes
DOCUMENT_MAX_PAGES_DEFAULT = 5000
# Uploaded PDFs inspected at once by one worker process, each in a process of its own bounded
# to 1 GiB of address space (ecabinet/documents/pool.py); beyond, uploads are answered busy.
INSPECT_CONCURRENCY_DEFAULT = 2
REDIS_PREFIX_DEFAULT = "ecabinet"
SEND_QUEUE_MAX_MESSAGES_DEFAULT = DEFAULT_MAX_MESSAGES  # queued for one client before its drop
SEND_QUEUE_MAX_BYTES_DEFAULT = DEFAULT_MAX_BYTES  # the same, in bytes
REPLAY_WINDOW_EVENTS_DEFAULT = 1000  # a client further behind gets a snapshot, not a replay
MEETING_QUOTA_BYTES_DEFAULT = 2 * 1024 * 1024 * 1024  # every document of one meeting, in bytes
COMMANDS_PER_SEC_DEFAULT = COMMANDS_PER_SEC_CONNECTION  # one connection's, a second (bursts of 3×)
USER_COMMANDS_PER_SEC_DEFAULT = COMMANDS_PER_SEC_USER  # one person's, over all their connections
USER_EPHEMERAL_PER_SEC_DEFAULT = EPHEMERAL_PER_SEC_USER  # one person's ephemeral messages
CONNECTIONS_PER_USER_DEFAULT = CONNECTIONS_PER_USER  # one person's sockets on one worker
LOGIN_ATTEMPTS_PER_ADDRESS_DEFAULT = ATTEMPTS_PER_ADDRESS  # failed sign-ins, 15 minutes
REQUEST_TIMEOUT_SECS_DEFAULT = 120  # until an HTTP answer starts, in seconds
REQUEST_BODY_IDLE_SECS_DEFAULT = 30  # longest wait for the next piece of a request body
# Names this installation's Redis keys and pub/sub channels; pub/sub ignores the DB number,
# so installations sharing one Redis need different prefixes.
REDIS_PREFIX_PATTERN = re.compile(r"[a-z0-9_-]{1,40}")


class SettingsError(Exception):
    """A setting is missing, malformed or unsafe for the chosen environment."""


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


@dataclass(frozen=True)
class Settings:
    env: Environment
    data_dir: Path
    database_url: str
    redis_url: str | None
    secret_key: str
    # Exact origins (scheme://host[:port]) allowed to open the websocket and to call the
    # API with a cookie. Empty means "same origin as the Host header".
    allowed_origins: tuple[str, ...]
    session_idle_secs: int
    session_max_secs: int
    log_level: str
    redis_prefix: str = REDIS_PREFIX_DEFAULT
    upload_max_bytes: int = UPLOAD_MAX_BYTES_DEFAULT
    document_max_pages: int = DOCUMENT_MAX_PAGES_DEFAULT
    inspect_concurrency: int = INSPECT_CONCURRENCY_DEFAULT
    send_queue_max_messages: int = SEND_QUEUE_MAX_MESSAGES_DEFAULT
    send_queue_max_bytes: int = SEND_QUEUE_MAX_BYTES_DEFAULT
    replay_window_events: int = REPLAY_WINDOW_EVENTS_DEFAULT
    meeting_quota_bytes: int = MEETING_QUOTA_BYTES_DEFAULT
    commands_per_sec: int = COMMANDS_PER_SEC_DEFAULT
    user_commands_per_sec: int = USER_COMMANDS_PER_SEC_DEFAULT
    user_ephemeral_per_sec: int = USER_EPHEMERAL_PER_SEC_DEFAULT
    connections_per_user: int = CONNECTIONS_PER_USER_DEFAULT
    login_attempts_per_address: int = LOGIN_ATTEMPTS_PER_ADDRESS_DEFAULT
    request_timeout_secs: int = REQUEST_TIMEOUT_SECS_DEFAULT
    request_body_idle_secs: int = REQUEST_BODY_IDLE_SECS_DEFAULT
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (realtime/forwarded.py);
    # empty: the connection's peer is the client.
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()
    # An RFC 3161 time-stamping service (http:// or https://) for every minutes signature;
    # None: signatures carry the signer's clock only.
    tsa_url: str | None = None
    # The PKCS#11 module (a .so path) that opens the tokens of users who sign with one
    # (docs/signing.md); None: no token signers.
    pkcs11_module: str | None = None
    # Test only (ECABINET_ENV=test): the share of commands that fail after writing and
    # before committing, to show that a change and its events are saved or lost together.
    fault_abort_before_commit: float = 0.0

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def secure_cookies(self) -> bool:
        return self.env is not Environment.DEVELOPMENT and self.env is not Environment.TEST

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def hub_limits(self) -> HubLimits:
        """The socket hub's flood limits (commands, ephemeral messages, connections)."""
        return HubLimits(
            commands_connection=Rate(
                self.commands_per_sec, COMMANDS_BURST_SECS * self.commands_per_sec
            ),
            commands_user=Rate(
                self.user_commands_per_sec, COMMANDS_BURST_SECS * self.user_commands_per_sec
            ),
            ephemeral_user=Rate(
                self.user_ephemeral_per_sec, EPHEMERAL_BURST_SECS * self.user_ephemeral_per_sec
            ),
            connections_per_user=self.connections_per_user,
        )


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from the environment (``os.environ`` by default)."""
    env_vars = os.environ if environ is None else environ

    def get(name: str) -> str | None:
        value = env_vars.get(f"ECABINET_{name}")
        return value.strip() if value and value.strip() else None

    try:
        env = Environment(get("ENV") or Environment.DEVELOPMENT)
    except ValueError as exc:
        choices = ", ".join(e.value for e in Environment)
        raise SettingsError(f"ECABINET_ENV must be one of: {choices}") from exc

    data_dir = Path(get("DATA_DIR") or "var").resolve()
    database_url = get("DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}"
    _check_database_url(database_url)
    redis_url = get("REDIS_URL")
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("ECABINET_REDIS_URL must start with redis://, rediss:// or unix://")

    redis_prefix = get("REDIS_PREFIX") or REDIS_PREFIX_DEFAULT
    if not REDIS_PREFIX_PATTERN.fullmatch(redis_prefix):
        raise SettingsError(
            "ECABINET_REDIS_PREFIX must be 1–40 characters of a–z, 0–9, '_' and '-'"
        )

    def limit(name: str, default: int) -> int:
        return _positive_int(get(name), default, name)

    fault_rate = _fault_rate(get("FAULT_ABORT_BEFORE_COMMIT"), env)
    origins = _parse_origins(get("ALLOWED_ORIGINS"))
    trusted_proxies = _parse_proxies(get("TRUSTED_PROXIES"))
    tsa_url = get("TSA_URL")
    if tsa_url is not None and not tsa_url.startswith(("http://", "https://")):
        raise SettingsError("ECABINET_TSA_URL must be an http:// or https:// address")
    secret_key = get("SECRET_KEY")
    if env is Environment.PRODUCTION:
        if secret_key is None:
            raise SettingsError("ECABINET_SECRET_KEY is required in production")
        if not origins:
            raise SettingsError(
                "ECABINET_ALLOWED_ORIGINS must list the public origin(s) in production, "
                "e.g. https://ecabinet.example.gov.vn"
            )
    if secret_key is None:
        secret_key = _development_secret(data_dir)
    if len(secret_key) < SECRET_KEY_MIN_CHARS:
        raise SettingsError(
            f"ECABINET_SECRET_KEY must have at least {SECRET_KEY_MIN_CHARS} characters"
        )

    return Settings(
        env=env,
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        redis_prefix=redis_prefix,
        upload_max_bytes=_positive_int(
            get("UPLOAD_MAX_BYTES"), UPLOAD_MAX_BYTES_DEFAULT, "UPLOAD_MAX_BYTES"
        ),
        document_max_pages=_positive_int(
            get("DOCUMENT_MAX_PAGES"), DOCUMENT_MAX_PAGES_DEFAULT, "DOCUMENT_MAX_PAGES"
        ),
        secret_key=secret_key,
        allowed_origins=origins,
        session_idle_secs=_positive_int(
            get("SESSION_IDLE_SECS"), SESSION_IDLE_SECS_DEFAULT, "SESSION_IDLE_SECS"
        ),
        session_max_secs=_positive_int(
            get("SESSION_MAX_SECS"), SESSION_MAX_SECS_DEFAULT, "SESSION_MAX_SECS"
        ),
        log_level=(get("LOG_LEVEL") or "INFO").upper(),
        send_queue_max_messages=_positive_int(
            get("SEND_QUEUE_MAX_MESSAGES"),
            SEND_QUEUE_MAX_MESSAGES_DEFAULT,
            "SEND_QUEUE_MAX_MESSAGES",
        ),
        send_queue_max_bytes=_positive_int(
            get("SEND_QUEUE_MAX_BYTES"), SEND_QUEUE_MAX_BYTES_DEFAULT, "SEND_QUEUE_MAX_BYTES"
        ),
        replay_window_events=_positive_int(
            get("REPLAY_WINDOW_EVENTS"), REPLAY_WINDOW_EVENTS_DEFAULT, "REPLAY_WINDOW_EVENTS"
        ),
        fault_abort_before_commit=fault_rate,
        meeting_quota_bytes=limit("MEETING_QUOTA_BYTES", MEETING_QUOTA_BYTES_DEFAULT),
        inspect_concurrency=limit("INSPECT_CONCURRENCY", INSPECT_CONCURRENCY_DEFAULT),
        commands_per_sec=limit("COMMANDS_PER_SEC", COMMANDS_PER_SEC_DEFAULT),
        user_commands_per_sec=limit("USER_COMMANDS_PER_SEC", USER_COMMANDS_PER_SEC_DEFAULT),
        user_ephemeral_per_sec=limit("USER_EPHEMERAL_PER_SEC", USER_EPHEMERAL_PER_SEC_DEFAULT),
        connections_per_user=limit("CONNECTIONS_PER_USER", CONNECTIONS_PER_USER_DEFAULT),
        login_attempts_per_address=limit(
            "LOGIN_ATTEMPTS_PER_ADDRESS", LOGIN_ATTEMPTS_PER_ADDRESS_DEFAULT
        ),
        request_timeout_secs=limit("REQUEST_TIMEOUT_SECS", REQUEST_TIMEOUT_SECS_DEFAULT),
        request_body_idle_secs=limit("REQUEST_BODY_IDLE_SECS", REQUEST_BODY_IDLE_SECS_DEFAULT),
        trusted_proxies=trusted_proxies,
        tsa_url=tsa_url,
        pkcs11_module=get("PKCS11_MODULE"),
    )


def _check_database_url(url: str) -> None:
    if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise SettingsError(
            "ECABINET_DATABASE_URL must be sqlite+aiosqlite:///PATH or postgresql+asyncpg://..."
        )


def _parse_origins(raw: str | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    origins = []
    for item in raw.split(","):
        origin = item.strip().rstrip("/")
        if not origin:
            continue
        if origin == "*":
            raise SettingsError("ECABINET_ALLOWED_ORIGINS may not contain '*'; list exact origins")
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
            raise SettingsError(f"not an origin (scheme://host[:port]): {origin!r}")
        origins.append(f"{parts.scheme}://{parts.netloc.lower()}")
    return tuple(origins)


def _parse_proxies(raw: str | None) -> tuple[IPv4Network | IPv6Network, ...]:
    """Comma-separated addresses or CIDR networks; a malformed entry, a network with host
    bits set (a typo in a trust boundary) or one that trusts every address is refused."""
    if raw is None:
        return ()
    networks: list[IPv4Network | IPv6Network] = []
    for item in raw.split(","):
        entry = item.strip()
        if not entry:
            continue
        try:
            network = ip_network(entry)
        except ValueError as exc:
            raise SettingsError(
                f"ECABINET_TRUSTED_PROXIES: not an address or network ({exc}): {entry!r}"
            ) from exc
        if network.prefixlen == 0:
            raise SettingsError(
                f"ECABINET_TRUSTED_PROXIES may not trust every address: {entry!r}; "
                "list the proxies' own addresses"
            )
        networks.append(network)
    return tuple(networks)


def _positive_int(raw: str | None, default: int, name: str) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"ECABINET_{name} must be a whole number") from exc
    if value <= 0:
        raise SettingsError(f"ECABINET_{name} must be positive")
    return value


def _fault_rate(raw: str | None, env: Environment) -> float:
    if raw is None:
        return 0.0
    if env is not Environment.TEST:
        raise SettingsError(
            "ECABINET_FAULT_ABORT_BEFORE_COMMIT is only allowed with ECABINET_ENV=test"
        )
    try:
        rate = float(raw)
    except ValueError as exc:
        raise SettingsError("ECABINET_FAULT_ABORT_BEFORE_COMMIT must be a number") from exc
    if not 0.0 <= rate < 1.0:
        raise SettingsError("ECABINET_FAULT_ABORT_BEFORE_COMMIT must be at least 0 and below 1")
    return rate


def _development_secret(data_dir: Path) -> str:
    """Outside production, keep a random secret in DATA_DIR so restarts keep sessions."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret
