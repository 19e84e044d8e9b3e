// /register — pick the kind of record to register. Light on purpose: the form engine loads only
// once a record type is chosen.
import { Link } from 'react-router';
import { useMe } from '../auth/api.ts';
import type { SubtypeInfo } from '../items/api.ts';
import { SUBTYPES } from '../items/subtypes.ts';
import './register.css';

function descriptionOf(subtype: SubtypeInfo): string | null {
  const description = subtype.json_schema.description;
  if (typeof description !== 'string' || description.trim() === '') return null;
  return description.trim().split('\n')[0] ?? null;
}

function categoryLabel(category: string): string {
  return category.charAt(0) + category.slice(1).toLowerCase();
}

export function ChooseSubtypePage() {
  const me = useMe();
  const mayWrite = me.data ? me.data.roles.includes('registry-write') : true;

  return (
    <section>
      <h1>Register a record</h1>
      <p className="lead">Choose what kind of record to register.</p>
      {!mayWrite && (
        <p className="alert alert--info">Your account may view records but not register them. Ask an administrator for write access.</p>
      )}
      <ul className="register-cards">
        {SUBTYPES.map((subtype) => {
          const description = descriptionOf(subtype);
          return (
            <li key={subtype.subtype} className="card register-card">
              <h2 className="register-card__title">
                <Link to={`/register/${subtype.subtype}`} className="register-card__link">
                  {subtype.label}
                </Link>
              </h2>
              <span className="badge">{categoryLabel(subtype.category)}</span>
              {description && <p className="register-card__description muted">{description}</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
