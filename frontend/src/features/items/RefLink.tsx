import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useItem } from './api.ts';
import { shortId } from './format.tsx';
import { recordPath } from './links.ts';

/** A reference to another record: a link showing that record's name, once it has loaded. */
export function RefLink({ id }: { id: string }) {
  const target = useItem(id);
  if (target.error instanceof ApiError && target.error.status === 403) {
    return <span className="muted">A record you cannot view</span>;
  }
  if (target.error instanceof ApiError && target.error.status === 404) {
    return <span className="muted">A record that no longer exists</span>;
  }
  const name = target.data?.data.display_name;
  if (typeof name === 'string' && name) return <Link to={recordPath(id)}>{name}</Link>;
  return (
    <Link to={recordPath(id)} aria-busy={target.isPending} title={id}>
      {shortId(id)}
    </Link>
  );
}
