import { useEffect, useState, type ReactNode } from 'react';
import { NavLink, Stack } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { navGroups, useFeatures, type NavEntry } from './feature';
import { isManager, useSession } from './session';
import { InboxNav } from '../features/inbox/InboxNav';

const isWithin = (pathname: string, to: string) => pathname === to || pathname.startsWith(`${to}/`);

function EntryLink({ entry, onNavigate }: { entry: NavEntry; onNavigate: () => void }) {
  const active = isWithin(useLocation().pathname, entry.to);
  return <NavLink component={Link} to={entry.to} label={entry.label} active={active} aria-current={active ? 'page' : undefined} onClick={onNavigate} data-testid={`nav-${entry.to}`} />;
}

/** A group of several pages folds; it unfolds by itself when one of its pages is shown (from search, a link). */
function FoldingGroup({ group, label, isCurrent, children }: { group: string; label: string; isCurrent: boolean; children: ReactNode }) {
  const [opened, setOpened] = useState(isCurrent);
  useEffect(() => {
    if (isCurrent) setOpened(true);
  }, [isCurrent]);
  return (
    // A button, not Mantine's default href-less anchor, so the keyboard reaches it.
    <NavLink component="button" type="button" label={label} opened={opened} onChange={setOpened} aria-expanded={opened} childrenOffset="sm" data-testid={`nav-group-${group}`}>
      {children}
    </NavLink>
  );
}

/**
 * The main navigation: the inbox views, then every feature's `nav` entries by group, shown to the
 * roles that may open them. Groups of several pages fold, so the views stay on screen at 1280×800.
 */
export function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const features = useFeatures();
  const { data: session } = useSession();
  const { pathname } = useLocation();
  const manager = isManager(session);
  const entries = features
    .flatMap((feature) => feature.nav ?? [])
    .filter((entry) => manager || !entry.managerOnly)
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
  return (
    <Stack gap={2}>
      {navGroups.map(({ key, label }) => {
        const inGroup = entries.filter((entry) => entry.group === key);
        const links = inGroup.map((entry) => <EntryLink key={entry.to} entry={entry} onNavigate={onNavigate} />);
        if (key === 'inbox') return <InboxNav key={key} onNavigate={onNavigate}>{links}</InboxNav>;
        if (inGroup.length <= 1) return links;
        return (
          <FoldingGroup key={key} group={key} label={label} isCurrent={inGroup.some((entry) => isWithin(pathname, entry.to))}>
            {links}
          </FoldingGroup>
        );
      })}
    </Stack>
  );
}
