import { LEVEL_NAMES } from "~/domain/badges";

/** A badge's art; the ring's colour shows the level (bronze, silver, gold, platinum). */
export function BadgeArt({ badgeKey, level, size = 56 }: { badgeKey: string; level: number; size?: number }) {
  const locked = level === 0;
  return (
    <span className="badge-ring" data-level={level} title={locked ? "Not earned yet" : LEVEL_NAMES[level]}>
      <img
        src={locked ? "/badges/locked.svg" : `/badges/${badgeKey}.svg`}
        alt=""
        width={size}
        height={size}
        className={`badge-art${locked ? " badge-art--locked" : ""}`}
      />
    </span>
  );
}
