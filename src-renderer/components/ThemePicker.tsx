/** Light, dark, or whatever the system prefers; remembered in the page's local storage. */
import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
const KEY = 'usbcdb.theme';

function stored(): Theme {
  const v = localStorage.getItem(KEY);
  return THEMES.find((t) => t === v) ?? 'system';
}

export function ThemePicker() {
  const [theme, setTheme] = useState<Theme>(stored);
  useEffect(() => {
    const media = matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => {
      const dark = theme === 'dark' || (theme === 'system' && media.matches);
      document.documentElement.dataset['theme'] = dark ? 'dark' : 'light';
    };
    apply();
    localStorage.setItem(KEY, theme);
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
  return (
    <label className="theme">
      Theme{' '}
      <select
        aria-label="theme"
        value={theme}
        onChange={(e) => setTheme(THEMES.find((t) => t === e.target.value) ?? 'system')}
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
    </label>
  );
}
